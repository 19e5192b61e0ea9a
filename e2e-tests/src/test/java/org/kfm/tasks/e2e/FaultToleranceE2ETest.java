package org.kfm.tasks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * Faults injected for real into a running system: processes killed and stopped, the broker and the
 * database taken away, records duplicated and poisoned. Each test leaves the cluster whole again
 * and reports what it submitted and how it ended: nothing may be lost, nothing may have two visible
 * outcomes.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceE2ETest {
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "expired");
  private static final FaultReport REPORT = new FaultReport();
  private static final String LONG_SIMULATION =
      "{\"task\":\"analysis.run_simulation\",\"params\":{\"scenario_id\":\"%s\",\"runs\":1000000,"
          + "\"horizon_years\":10,\"annual_event_rate\":100,\"severity\":{\"mu\":0,\"sigma\":1}}}";

  private static Cluster cluster;
  private static Api admin;
  private static Api analyst;

  @BeforeAll
  static void startCluster() {
    cluster =
        Cluster.start(
            true,
            Map.of("KFM_WATCHDOG_LEASE", "10s", "KFM_WATCHDOG_INTERVAL", "1s"),
            Map.of(
                "KFM_HEARTBEAT_INTERVAL",
                "1s",
                "KFM_KAFKA_SESSION_TIMEOUT_MS",
                "6000",
                "KFM_SHUTDOWN_GRACE",
                "4s"));
    admin = new Api(cluster.api.baseUrl(), cluster.keys.token("root", "admin"));
    analyst = new Api(cluster.api.baseUrl(), cluster.keys.token("ana", "analyst"));
  }

  @AfterAll
  static void stopCluster() {
    REPORT.write(Path.of("target/fault-matrix.md"));
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String submitNoop(String params) {
    Api.Reply reply = admin.submit("{\"task\":\"system.noop\",\"params\":" + params + "}", null);
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(202);
    return reply.body().path("id").asText();
  }

  private static JsonNode job(String id) {
    return admin.get("/api/v1/jobs/" + id).body();
  }

  private static String status(String id) {
    return job(id).path("status").asText();
  }

  /** Waits until every job is terminal or the bound passes; returns each job's last view. */
  private static Map<String, JsonNode> awaitTerminal(List<String> ids, Duration within) {
    Map<String, JsonNode> last = new ConcurrentHashMap<>();
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                for (String id : ids) {
                  JsonNode current = last.get(id);
                  if (current == null || !TERMINAL.contains(current.path("status").asText())) {
                    last.put(id, job(id));
                  }
                }
                return last.values().stream()
                    .allMatch(j -> TERMINAL.contains(j.path("status").asText()));
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Reported as lost below.
    }
    return last;
  }

  /**
   * Jobs whose history holds more than one outcome for one attempt: a second visible run. (A retry
   * a user asked for is a new attempt with an outcome of its own.)
   */
  private static int ranTwiceVisibly(List<String> ids) {
    int twice = 0;
    for (String id : ids) {
      Map<Integer, Integer> outcomesPerAttempt = new HashMap<>();
      for (JsonNode event : admin.get("/api/v1/jobs/" + id + "/events").body()) {
        String type = event.path("type").asText();
        if (type.equals("succeeded") || type.equals("canceled") || type.equals("expired")) {
          outcomesPerAttempt.merge(event.path("attempt").asInt(), 1, Integer::sum);
        }
      }
      if (outcomesPerAttempt.values().stream().anyMatch(n -> n > 1)) {
        twice++;
      }
    }
    return twice;
  }

  private static long count(Map<String, JsonNode> jobs, String status) {
    return jobs.values().stream().filter(j -> j.path("status").asText().equals(status)).count();
  }

  private static void report(
      String fault,
      List<String> ids,
      Map<String, JsonNode> jobs,
      int failedAsIntended,
      String note) {
    int lost =
        (int)
            (ids.size()
                - jobs.values().stream()
                    .filter(j -> TERMINAL.contains(j.path("status").asText()))
                    .count());
    int twice = ranTwiceVisibly(ids);
    REPORT.add(
        new FaultReport.Row(
            fault,
            ids.size(),
            (int) count(jobs, "succeeded"),
            failedAsIntended,
            lost,
            twice,
            note));
    assertThat(lost).as("lost jobs in " + fault).isZero();
    assertThat(twice).as("jobs with two visible outcomes in " + fault).isZero();
  }

  @Test
  @Order(1)
  void aWorkerKilledMidJobIsReplacedAndItsJobsComplete() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(submitNoop("{\"sleep_ms\":2500}"));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().filter(id -> status(id).equals("running")).count() >= 3);

    cluster.worker().kill();
    cluster.startWorker();

    Map<String, JsonNode> jobs = awaitTerminal(ids, Duration.ofSeconds(120));
    report("kill -9 worker mid-job", ids, jobs, 0, "restarted worker took over");
    assertThat(count(jobs, "succeeded")).isEqualTo(ids.size());
  }

  @Test
  @Order(2)
  void theBrokerStoppedDuringSubmissionLosesNothing() throws Exception {
    int total = 1000;
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger refused = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    boolean[] stopped = {false};
    for (int c = 0; c < 8; c++) {
      futures.add(
          clients.submit(
              () -> {
                while (next.getAndIncrement() < total) {
                  Api.Reply reply = admin.submit("{\"task\":\"system.noop\",\"params\":{}}", null);
                  if (reply.status() == 202) {
                    ids.add(reply.body().path("id").asText());
                  } else {
                    refused.incrementAndGet();
                  }
                  synchronized (stopped) {
                    if (!stopped[0] && ids.size() >= 200) {
                      stopped[0] = true;
                      cluster.broker.stop();
                    }
                  }
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(5, TimeUnit.MINUTES);
    }
    clients.shutdown();
    assertThat(stopped[0]).isTrue();
    assertThat(refused.get()).as("submissions refused while the broker was down").isZero();
    // The outage spans the ~800 submissions made after the stop; the broker comes back now.
    cluster.broker.startProcess();

    Map<String, JsonNode> jobs = awaitTerminal(ids, Duration.ofSeconds(300));
    report(
        "broker stopped during 1,000 submissions",
        ids,
        jobs,
        0,
        "all 202 while the broker was down");
    assertThat(count(jobs, "succeeded")).isEqualTo(total);
  }

  @Test
  @Order(3)
  void theDatabaseStoppedDuringARunRefusesEnqueueAndLosesNothing() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(submitNoop("{\"sleep_ms\":1500}"));
    }
    cluster.stopDatabase();
    int unavailable = 0;
    for (int i = 0; i < 5; i++) {
      Api.Reply reply = admin.submit("{\"task\":\"system.noop\",\"params\":{}}", null);
      assertThat(reply.status()).as("enqueue while the database is down").isEqualTo(503);
      assertThat(reply.retryAfter()).isPresent();
      assertThat(reply.body().path("errorId").asText()).isNotBlank();
      unavailable++;
    }
    // The API itself must see the outage before the database returns.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> cluster.api.readiness() != 200);
    cluster.startDatabase();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> admin.submit("{\"task\":\"system.noop\",\"params\":{}}", null).status() == 202);

    Map<String, JsonNode> jobs = awaitTerminal(ids, Duration.ofSeconds(120));
    report(
        "PostgreSQL stopped during a run",
        ids,
        jobs,
        0,
        unavailable + " enqueues answered 503 + Retry-After");
    assertThat(count(jobs, "succeeded")).isEqualTo(ids.size());
  }

  @Test
  @Order(4)
  void statusEventsDeliveredTwiceAndOutOfOrderChangeNoOutcome() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(submitNoop(i % 2 == 0 ? "{}" : "{\"fail_first_attempts\":1}"));
    }
    Map<String, JsonNode> clean = awaitTerminal(ids, Duration.ofSeconds(60));
    Map<String, String> cleanState = new HashMap<>();
    clean.forEach(
        (id, j) ->
            cleanState.put(
                id,
                j.path("status").asText()
                    + "#"
                    + j.path("attempt").asInt()
                    + "#"
                    + j.path("result")));

    double projectedBefore = cluster.api.counterTotal("kfm_projection_events_total");
    int replayed;
    try (KafkaTestClient kafka = new KafkaTestClient(cluster.broker.bootstrapServers())) {
      Set<String> ours = Set.copyOf(ids);
      List<ConsumerRecord<String, String>> events =
          kafka.await(
              Topics.JOB_EVENTS,
              r -> ours.contains(r.key()),
              // A no-op attempt reports its start in its outcome: one event per attempt.
              5 * 1 + 5 * 2,
              Duration.ofSeconds(30));
      List<ConsumerRecord<String, String>> replay = new ArrayList<>(events);
      replay.addAll(events);
      Collections.shuffle(replay, new Random(7));
      for (ConsumerRecord<String, String> r : replay) {
        kafka.send(Topics.JOB_EVENTS, r.key(), r.value());
      }
      replayed = replay.size();
    }
    // Done when the projector has consumed every replayed record.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                cluster.api.counterTotal("kfm_projection_events_total")
                    >= projectedBefore + replayed);

    Map<String, JsonNode> after = awaitTerminal(ids, Duration.ofSeconds(10));
    after.forEach(
        (id, j) ->
            assertThat(
                    j.path("status").asText()
                        + "#"
                        + j.path("attempt").asInt()
                        + "#"
                        + j.path("result"))
                .as("job " + id)
                .isEqualTo(cleanState.get(id)));
    report(
        "status events duplicated and shuffled", ids, after, 0, "final states equal the clean run");
  }

  @Test
  @Order(5)
  void poisonRecordsGoToTheDeadLetterTopicAndTheNextJobSucceeds() {
    String topic = "kfm.tasks.latency-sensitive";
    String marker = "poison-" + UUID.randomUUID();
    try (KafkaTestClient kafka = new KafkaTestClient(cluster.broker.bootstrapServers())) {
      kafka.send(topic, marker, "{\"not\": \"a command\"");
      kafka.send(
          topic,
          marker,
          "{\"schemaVersion\":1,\"jobId\":\""
              + UUID.randomUUID()
              + "\",\"task\":\"no.such_task\",\"attempt\":1}");
      var dead =
          kafka.await(
              Topics.deadLetterOf(topic), r -> marker.equals(r.key()), 2, Duration.ofSeconds(60));
      assertThat(dead)
          .allSatisfy(r -> assertThat(r.headers().lastHeader("dead-letter-reason")).isNotNull());
    }
    String good = submitNoop("{}");
    Map<String, JsonNode> jobs = awaitTerminal(List.of(good), Duration.ofSeconds(60));
    report(
        "poison records on a class topic",
        List.of(good),
        jobs,
        0,
        "2 records in kfm.dlq.kfm.tasks.latency-sensitive");
    assertThat(count(jobs, "succeeded")).isEqualTo(1);
  }

  @Test
  @Order(6)
  void timeoutCancelAndManualRetryAreObservedThroughTheApi() {
    String timesOut = submitNoop("{\"sleep_ms\":10000}");
    String queuedThenCanceled =
        admin
            .submit(
                "{\"task\":\"system.noop\",\"params\":{},\"runAt\":\""
                    + Instant.now().plusSeconds(3600)
                    + "\"}",
                null)
            .body()
            .path("id")
            .asText();
    Api.Reply longRun =
        analyst.submit(String.format(LONG_SIMULATION, "cancel-" + UUID.randomUUID()), null);
    String runningThenCanceled = longRun.body().path("id").asText();
    String failsThenRetried = submitNoop("{\"fail_first_attempts\":3}");
    // Canceled while running, then retried: the worker that took the cancel must still run the
    // retry, a later attempt.
    String canceledThenRetried = submitNoop("{\"sleep_ms\":2500}");

    assertThat(
            admin
                .post("/api/v1/jobs/" + queuedThenCanceled + "/cancel")
                .body()
                .path("status")
                .asText())
        .isEqualTo("canceled");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                analyst
                    .get("/api/v1/jobs/" + runningThenCanceled)
                    .body()
                    .path("status")
                    .asText()
                    .equals("running"));
    assertThat(analyst.post("/api/v1/jobs/" + runningThenCanceled + "/cancel").status())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin
                    .get("/api/v1/jobs/" + canceledThenRetried)
                    .body()
                    .path("status")
                    .asText()
                    .equals("running"));
    assertThat(admin.post("/api/v1/jobs/" + canceledThenRetried + "/cancel").status())
        .isEqualTo(200);

    Map<String, JsonNode> first =
        awaitTerminal(
            List.of(
                timesOut,
                queuedThenCanceled,
                runningThenCanceled,
                failsThenRetried,
                canceledThenRetried),
            Duration.ofSeconds(120));
    assertThat(first.get(timesOut).path("status").asText()).isEqualTo("failed");
    assertThat(first.get(timesOut).path("error").path("code").asText()).isEqualTo("TIMEOUT");
    assertThat(first.get(timesOut).path("attempt").asInt()).isEqualTo(3);
    assertThat(first.get(queuedThenCanceled).path("status").asText()).isEqualTo("canceled");
    assertThat(first.get(runningThenCanceled).path("status").asText()).isEqualTo("canceled");
    assertThat(first.get(canceledThenRetried).path("status").asText()).isEqualTo("canceled");
    assertThat(first.get(failsThenRetried).path("status").asText()).isEqualTo("failed");
    assertThat(first.get(failsThenRetried).path("error").path("code").asText())
        .isEqualTo("INJECTED_FAILURE");

    Api.Reply retried = admin.post("/api/v1/jobs/" + failsThenRetried + "/retry");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.body().path("attempt").asInt()).isEqualTo(4);
    assertThat(admin.post("/api/v1/jobs/" + canceledThenRetried + "/retry").status())
        .isEqualTo(200);
    Map<String, JsonNode> second =
        awaitTerminal(List.of(failsThenRetried, canceledThenRetried), Duration.ofSeconds(60));
    assertThat(second.get(failsThenRetried).path("status").asText()).isEqualTo("succeeded");
    assertThat(second.get(canceledThenRetried).path("status").asText()).isEqualTo("succeeded");
    assertThat(second.get(canceledThenRetried).path("attempt").asInt()).isEqualTo(2);

    List<String> ids =
        List.of(
            timesOut,
            queuedThenCanceled,
            runningThenCanceled,
            failsThenRetried,
            canceledThenRetried);
    Map<String, JsonNode> all = new HashMap<>(first);
    all.putAll(second);
    report(
        "timeout, cancel (queued, running), manual retry",
        ids,
        all,
        3,
        "TIMEOUT after 3 attempts; all 3 cancels end canceled; retries succeed (attempt 4; a"
            + " canceled job's attempt 2)");
  }

  @Test
  @Order(7)
  void aJobNotStartedBeforeItsDeadlineExpiresAndNeverRuns() {
    cluster.worker().stop();
    String id =
        admin
            .submit(
                "{\"task\":\"system.noop\",\"params\":{},\"deadline\":\""
                    + Instant.now().plusSeconds(2)
                    + "\"}",
                null)
            .body()
            .path("id")
            .asText();
    Map<String, JsonNode> jobs = awaitTerminal(List.of(id), Duration.ofSeconds(30));
    cluster.startWorker();
    String after = submitNoop("{}");
    awaitTerminal(List.of(after), Duration.ofSeconds(60));

    assertThat(jobs.get(id).path("status").asText()).isEqualTo("expired");
    assertThat(status(id)).isEqualTo("expired");
    List<String> history = new ArrayList<>();
    admin
        .get("/api/v1/jobs/" + id + "/events")
        .body()
        .forEach(e -> history.add(e.path("type").asText()));
    assertThat(history).doesNotContain("started");
    report(
        "deadline passes with no worker running", List.of(id), jobs, 1, "expired, never started");
  }

  @Test
  @Order(8)
  void aWorkerStoppedWithSigtermLeavesNoJobRunning() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(submitNoop("{\"sleep_ms\":2000}"));
    }
    String longJob =
        analyst
            .submit(String.format(LONG_SIMULATION, "sigterm-" + UUID.randomUUID()), null)
            .body()
            .path("id")
            .asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                analyst
                    .get("/api/v1/jobs/" + longJob)
                    .body()
                    .path("status")
                    .asText()
                    .equals("running"));

    cluster.worker().stop();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ofMillis(500))
        .until(
            () ->
                ids.stream().noneMatch(id -> status(id).equals("running"))
                    && !analyst
                        .get("/api/v1/jobs/" + longJob)
                        .body()
                        .path("status")
                        .asText()
                        .equals("running"));
    JsonNode handedBack = analyst.get("/api/v1/jobs/" + longJob).body();
    cluster.startWorker();

    List<String> all = new ArrayList<>(ids);
    all.add(longJob);
    Map<String, JsonNode> jobs = awaitTerminal(all, Duration.ofSeconds(180));
    report(
        "SIGTERM worker during jobs",
        all,
        jobs,
        0,
        "none left running; the long job was handed back ("
            + handedBack.path("error").path("code").asText()
            + ") and rerun");
    assertThat(count(jobs, "succeeded")).isEqualTo(all.size());
    assertThat(jobs.get(longJob).path("maxAttempts").asInt())
        .as("a shutdown does not count")
        .isEqualTo(4);
  }
}
