package org.kfm.tasks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.ServiceProcess;

/**
 * Scale-out on one machine: two api replicas and two worker processes per concurrency class on one
 * broker and one database. 20,000 jobs are submitted across both replicas while a schedule fires
 * every two seconds; once both replicas have shown dispatcher and projector work, one replica and
 * one worker are killed with SIGKILL. Every job must still end succeeded, once; every slot of the
 * schedule must have one job, or be counted as caught up by a replica that fired late, and none
 * two.
 */
@Timeout(600)
class ScaleOutE2ETest {
  private static final int JOBS = 20_000;
  private static final int PER_BATCH = 200;
  private static final int BATCHES = JOBS / PER_BATCH;
  // Submissions spread over about 50 s, so the kills land while jobs are being accepted and run.
  private static final Duration BATCH_PACE = Duration.ofMillis(500);
  private static final int KILL_AFTER_BATCHES = BATCHES * 2 / 5;
  private static final String OWNER = "scale";
  private static final String SCHEDULE = "scale-tick";
  private static final int SLOT_SECONDS = 2;

  private static Fleet fleet;
  private static String adminToken;

  @BeforeAll
  static void startFleet() {
    Instant begin = Instant.now();
    fleet =
        Fleet.start(
            2,
            2,
            Map.of(
                "KFM_WATCHDOG_LEASE", "10s",
                "KFM_WATCHDOG_INTERVAL", "1s",
                "KFM_KAFKA_SESSION_TIMEOUT_MS", "6000"),
            Map.of(
                "KFM_HEARTBEAT_INTERVAL", "1s",
                "KFM_KAFKA_SESSION_TIMEOUT_MS", "6000",
                "KFM_SHUTDOWN_GRACE", "4s"));
    adminToken = fleet.keys.token(OWNER, "admin");
    System.out.printf(
        "fleet of %d processes ready in %.1f s%n",
        fleet.processes().size(), Duration.between(begin, Instant.now()).toMillis() / 1000.0);
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static Api api(ServiceProcess replica) {
    return new Api(replica.baseUrl(), adminToken);
  }

  /** The job at {@code n}: mostly no-ops, with a share for each of the other two classes. */
  private static ObjectNode item(int n, Instant runAt) {
    ObjectNode job = JsonNodeFactory.instance.objectNode();
    ObjectNode params = job.putObject("params");
    if (n % 50 == 0) {
      job.put("task", "analysis.run_simulation");
      params.put("scenario_id", "scale-" + n).put("runs", 100).put("annual_event_rate", 2);
      params.putObject("severity").put("mu", 1).put("sigma", 0.5);
    } else if (n % 50 == 1) {
      job.put("task", "maintenance.cache_cleanup");
      params.put("dry_run", true);
    } else {
      job.put("task", "system.noop");
      params.put("sleep_ms", 20);
    }
    job.put("idempotencyKey", "scale-" + n);
    if (runAt != null) {
      job.put("runAt", runAt.toString());
    }
    return job;
  }

  /**
   * Sends one batch to its replica, or to the other when that one does not answer (a client behind
   * a load balancer sees the same). The idempotency keys make a resend return the same jobs.
   */
  private static int submitBatch(int batch, Set<String> ids) {
    // Every fourth batch is delayed a little: the dispatcher loops publish those, not the request.
    Instant runAt = batch % 4 == 3 ? Instant.now().plusSeconds(2) : null;
    ArrayNode jobs = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < PER_BATCH; i++) {
      jobs.add(item(batch * PER_BATCH + i, runAt));
    }
    String body = Wire.toJson(Map.of("jobs", jobs));
    int failovers = 0;
    for (int attempt = 0; attempt < 40; attempt++) {
      ServiceProcess replica = fleet.apis.get((batch + attempt) % fleet.apis.size());
      try {
        Api.Reply reply = api(replica).submitBatch(body);
        if (reply.status() == 200 || reply.status() == 202) {
          for (JsonNode job : reply.body().path("items")) {
            ids.add(job.path("id").asText());
          }
          return failovers;
        }
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(503);
      } catch (IllegalStateException unreachable) {
        // The replica is gone or reset the connection: the next attempt goes to the other one.
      }
      failovers++;
      sleep(250);
    }
    throw new AssertionError("batch " + batch + " was refused by every replica 40 times");
  }

  private static double loopDispatches(ServiceProcess api) {
    return api.counterTotal("kfm_dispatch_published_total", "path=\"loop\"");
  }

  @Test
  void twentyThousandJobsAcrossTwoReplicasSurviveAKilledReplicaAndWorker() throws Exception {
    ServiceProcess doomedApi = fleet.apis.get(0);
    ServiceProcess survivor = fleet.apis.get(1);
    ServiceProcess doomedWorker = fleet.workers.get("latency-sensitive").get(0);
    Api admin = api(survivor);

    Api.Reply schedule =
        admin.post(
            "/api/v1/schedules",
            "application/json",
            "{\"name\":\""
                + SCHEDULE
                + "\",\"cron\":\"*/"
                + SLOT_SECONDS
                + " * * * * ?\",\"task\":\"system.noop\",\"params\":{}}");
    assertThat(schedule.status()).as(String.valueOf(schedule.body())).isEqualTo(201);

    Instant scheduled = Instant.now();
    Instant begin = Instant.now();
    Set<String> ids = ConcurrentHashMap.newKeySet();
    AtomicInteger nextBatch = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failovers = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      running.add(
          clients.submit(
              () -> {
                int batch;
                while ((batch = nextBatch.getAndIncrement()) < BATCHES) {
                  Instant due = begin.plus(BATCH_PACE.multipliedBy(batch));
                  long wait = Duration.between(Instant.now(), due).toMillis();
                  if (wait > 0) {
                    sleep(wait);
                  }
                  failovers.addAndGet(submitBatch(batch, ids));
                  sent.incrementAndGet();
                }
                return null;
              }));
    }

    // The kill comes once both replicas have shared both kinds of work, a share of the load in.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                sent.get() >= KILL_AFTER_BATCHES
                    && fleet.apis.stream()
                        .allMatch(
                            a ->
                                loopDispatches(a) > 0
                                    && a.counterTotal("kfm_projection_events_total") > 0));
    Map<String, Double> sharesBeforeKill = new LinkedHashMap<>();
    for (ServiceProcess a : fleet.apis) {
      sharesBeforeKill.put(a.name() + " loop dispatches", loopDispatches(a));
      sharesBeforeKill.put(
          a.name() + " request dispatches",
          a.counterTotal("kfm_dispatch_published_total", "path=\"request\""));
      sharesBeforeKill.put(
          a.name() + " projected events", a.counterTotal("kfm_projection_events_total"));
    }
    double survivorLoopBeforeKill = loopDispatches(survivor);
    doomedApi.kill();
    doomedWorker.kill();
    Instant killedAt = Instant.now();
    System.out.printf(
        "killed api pid %d and worker pid %d with SIGKILL after %d of %d batches, %.1f s in;"
            + " work shared before the kill: %s%n",
        doomedApi.pid(),
        doomedWorker.pid(),
        sent.get(),
        BATCHES,
        Duration.between(begin, killedAt).toMillis() / 1000.0,
        sharesBeforeKill);

    for (Future<?> client : running) {
      client.get(5, TimeUnit.MINUTES);
    }
    clients.shutdown();
    Instant submitted = Instant.now();
    assertThat(ids).as("distinct jobs the clients were given").hasSize(JOBS);

    try (Connection db =
        DriverManager.getConnection(fleet.database.jdbcUrl(), fleet.database.user(), "")) {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> count(db, "status IN ('succeeded','failed','canceled','expired')") == JOBS);
      Instant done = Instant.now();
      assertThat(admin.post("/api/v1/schedules/" + SCHEDULE + "/pause").status()).isEqualTo(200);

      assertThat(count(db, "true")).as("jobs in the table (a resend made none)").isEqualTo(JOBS);
      assertThat(count(db, "status = 'succeeded'")).as("jobs succeeded").isEqualTo(JOBS);
      assertThat(
              single(
                  db,
                  "SELECT count(*) FROM (SELECT e.job_id FROM job_events e JOIN jobs j ON j.id ="
                      + " e.job_id WHERE j.owner = '"
                      + OWNER
                      + "' AND e.type IN ('succeeded','canceled','expired','failed')"
                      + " GROUP BY e.job_id, e.attempt HAVING count(*) > 1) twice"))
          .as("attempts with two outcomes in their history")
          .isZero();
      assertThat(
              single(
                  db,
                  "SELECT count(*) FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE j.owner"
                      + " = '"
                      + OWNER
                      + "' AND e.type = 'succeeded'"))
          .as("succeeded entries in the history: one per job")
          .isEqualTo(JOBS);
      assertThat(single(db, "SELECT count(DISTINCT job_id) FROM worker.simulation_runs"))
          .as("simulation outputs: one row per job")
          .isEqualTo(JOBS / 50);
      for (String id : ids.stream().limit(200).toList()) {
        assertThat(admin.get("/api/v1/jobs/" + id).body().path("status").asText())
            .as("job " + id + " through the api")
            .isEqualTo("succeeded");
      }

      Map<String, Long> byWorker = workersOfClasses(db);
      for (String cls : Fleet.CLASSES) {
        for (ServiceProcess worker : fleet.workers.get(cls)) {
          assertThat(byWorker.getOrDefault(cls + "@" + worker.pid(), 0L))
              .as("jobs of " + cls + " finished by " + worker.name())
              .isPositive();
        }
      }

      // A firing loop late by more than a slot (both replicas starved of CPU) fires the oldest
      // missed slot and counts the others as caught up, by design; each replica logs that. So
      // every slot from the first to the last must have its own job or be one of those counted.
      List<Instant> slots = scheduleSlots(db);
      Map<Instant, Integer> collapsed = collapsedSlots();
      assertThat(slots).as("slots fired during the run").hasSizeGreaterThan(10);
      assertThat(slots).as("a slot with two jobs").doesNotHaveDuplicates();
      assertThat(slots.get(0))
          .as("the first slot comes within two slots of the schedule's creation")
          .isBefore(scheduled.plusSeconds(2L * SLOT_SECONDS + 1));
      for (int i = 1; i < slots.size(); i++) {
        Instant previous = slots.get(i - 1);
        long between = Duration.between(previous, slots.get(i)).toSeconds() / SLOT_SECONDS - 1;
        assertThat(between)
            .as(
                "slots between "
                    + previous
                    + " and "
                    + slots.get(i)
                    + " without a job of their own")
            .isEqualTo(collapsed.getOrDefault(previous, 0).longValue());
      }
      int caughtUp = collapsed.values().stream().mapToInt(Integer::intValue).sum();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  single(
                          db,
                          "SELECT count(*) FROM jobs WHERE owner = 'schedule:"
                              + SCHEDULE
                              + "' AND status <> 'succeeded'")
                      == 0);

      // The delayed batches after the kill, and what the killed replica committed but never
      // published, are the survivor's loop's alone now.
      double survivorLoop = loopDispatches(survivor);
      double survivorProjected = survivor.counterTotal("kfm_projection_events_total");
      assertThat(survivorLoop).isGreaterThan(survivorLoopBeforeKill);
      System.out.printf(
          "%d jobs submitted in %.1f s (%d failovers to the other replica), all succeeded %.1f s"
              + " after the last submission; %d slots of %s fired once each, %d more caught up"
              + " (collapsed, counted); jobs per worker: %s; survivor's loop dispatches %.0f,"
              + " projected events %.0f; retried attempts: %d%n",
          JOBS,
          Duration.between(begin, submitted).toMillis() / 1000.0,
          failovers.get(),
          Duration.between(submitted, done).toMillis() / 1000.0,
          slots.size(),
          SCHEDULE,
          caughtUp,
          byWorker,
          survivorLoop,
          survivorProjected,
          single(db, "SELECT count(*) FROM jobs WHERE owner = '" + OWNER + "' AND attempt > 1"));
    }
  }

  /**
   * The catch-ups every replica logged, the killed one's included: the slot that fired, and how
   * many slots after it were counted as missed.
   */
  private static Map<Instant, Integer> collapsedSlots() throws IOException {
    Pattern caughtUp =
        Pattern.compile(
            "schedule="
                + SCHEDULE
                + " caught up: (\\d+) missed slot\\(s\\) collapsed into the one firing of slot (\\S+)");
    Map<Instant, Integer> collapsed = new HashMap<>();
    for (ServiceProcess api : fleet.apis) {
      for (String line : Files.readAllLines(api.log())) {
        Matcher m = caughtUp.matcher(line);
        if (m.find()) {
          collapsed.merge(Instant.parse(m.group(2)), Integer.parseInt(m.group(1)), Integer::sum);
        }
      }
    }
    return collapsed;
  }

  private static long count(Connection db, String where) throws SQLException {
    return single(db, "SELECT count(*) FROM jobs WHERE owner = '" + OWNER + "' AND " + where);
  }

  private static long single(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Finished jobs per class and worker process ({@code class@pid}), from the rows' worker id. */
  private static Map<String, Long> workersOfClasses(Connection db) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT queue, worker_id, count(*) FROM jobs WHERE owner = '"
                    + OWNER
                    + "' GROUP BY queue, worker_id ORDER BY queue, worker_id")) {
      while (r.next()) {
        String worker = r.getString(2);
        String pid = worker == null ? "none" : worker.substring(worker.lastIndexOf('-') + 1);
        counts.merge(r.getString(1) + "@" + pid, r.getLong(3), Long::sum);
      }
    }
    return counts;
  }

  /** The slots the schedule's jobs were made for, in order. */
  private static List<Instant> scheduleSlots(Connection db) throws SQLException {
    List<Instant> slots = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT lineage->>'slot' FROM jobs WHERE owner = 'schedule:"
                    + SCHEDULE
                    + "' AND lineage->>'trigger' = 'slot' ORDER BY 1")) {
      while (r.next()) {
        slots.add(Instant.parse(r.getString(1)));
      }
    }
    return slots;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
