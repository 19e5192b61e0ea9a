package org.kfm.tasks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kfm.tasks.testing.ServiceProcess;

/**
 * A database slower than the services can feed it (every row a statement updates in {@code jobs}
 * costs it 0.5 ms more) under a 100,000-job bulk submission, with the services' local-stack heaps:
 * the api holds no job in memory it cannot bound, so it neither runs out of heap nor blocks its
 * event loop, and every accepted job ends succeeded. The run also shows that the bound was needed:
 * the request path filled, and when the last batch was accepted tens of thousands of jobs still
 * waited for the database to mark them dispatched. Before the request path's publishes were bounded
 * the api held every such job in memory and ran out of heap; with the bound lifted ({@code
 * kfm.dispatch.fast-path-capacity} of a million) this run still does.
 */
@Timeout(900)
class SlowDatabaseE2ETest {
  private static final int JOBS = 100_000;
  private static final int PER_BATCH = 1_000;
  // Paid once per statement for all its rows: a trigger per row cannot sleep less than pg_sleep's
  // 1 ms (plus a timer's slack), which kept the database slower than needed and the test long.
  private static final int MICROS_PER_ROW = 500;
  // Jobs accepted but not yet marked dispatched when the last batch is accepted, at the least: the
  // database really was slower than the api took jobs in. One that keeps up leaves about the
  // request
  // path's 4,000; 35,000 were seen on a loaded machine, 68,000 on a quiet one.
  private static final int MIN_WAITING_AT_END_OF_SUBMISSION = 20_000;
  private static final String API_HEAP = "192m";
  // Bounded, the api kept at most 55 MB after a full collection here; with the request path's
  // bound lifted the same run filled the heap and ran out of it.
  private static final long MAX_LIVE_HEAP_MB = 128;
  private static final Pattern BLOCKED = Pattern.compile("has been blocked for (\\d+) ms");

  private static Cluster cluster;
  private static Api admin;

  @BeforeAll
  static void startCluster() throws SQLException {
    // The local stack's heaps (kfm-cli LocalStack): the api at 192 MB, the worker at 128 MB.
    cluster = Cluster.start(false, Map.of(), Map.of(), API_HEAP, "128m");
    admin = new Api(cluster.api.baseUrl(), cluster.keys.token("bulk", "admin"));
    sql(
        "CREATE FUNCTION slow_rows() RETURNS trigger AS $$"
            + " BEGIN PERFORM pg_sleep((SELECT count(*) FROM changed) * "
            + MICROS_PER_ROW
            + " / 1e6); RETURN NULL; END $$ LANGUAGE plpgsql;"
            + " CREATE TRIGGER slow_rows AFTER UPDATE ON jobs REFERENCING NEW TABLE AS changed"
            + " FOR EACH STATEMENT EXECUTE FUNCTION slow_rows()");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBulkSubmissionOnASlowDatabaseEndsEveryAcceptedJobWithoutExhaustingTheApi()
      throws Exception {
    String batch = batchOfNoops();
    Instant begin = Instant.now();
    LiveHeap liveHeap = LiveHeap.watch(cluster.api);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> sent = new ArrayList<>();
    for (int b = 0; b < JOBS / PER_BATCH; b++) {
      sent.add(clients.submit(() -> submitUntilAccepted(batch, accepted, refused)));
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).as("batches sent").isTrue();
    for (Future<?> f : sent) {
      f.get();
    }
    assertThat(accepted.get()).isEqualTo(JOBS);
    long waiting = notYetDispatched();
    long leftToLoop = (long) cluster.api.counterTotal("kfm_dispatch_fast_path_full_total");
    System.out.printf(
        "all %d jobs accepted in %.1f s (%d submissions refused with 503); %d of them not yet"
            + " marked dispatched; %d left to the dispatcher loop by a full request path%n",
        JOBS,
        Duration.between(begin, Instant.now()).toMillis() / 1000.0,
        refused.get(),
        waiting,
        leftToLoop);
    assertThat(waiting)
        .as("jobs waiting for the slow database when the last batch was accepted")
        .isGreaterThanOrEqualTo(MIN_WAITING_AT_END_OF_SUBMISSION);
    assertThat(leftToLoop).as("jobs the full request path left in the outbox").isPositive();

    Map<String, Long> statuses = new HashMap<>();
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              statuses.clear();
              statuses.putAll(countByStatus());
              return statuses.getOrDefault("succeeded", 0L) == JOBS || !cluster.api.isAlive();
            });

    long mostLive = liveHeap.stop();
    assertThat(cluster.api.isAlive()).as("api still running").isTrue();
    assertThat(statuses).containsExactly(Map.entry("succeeded", (long) JOBS));
    String log = Files.readString(cluster.api.log());
    assertThat(log).doesNotContain("OutOfMemoryError");
    assertThat(mostLive >> 20)
        .as("MB of the api's %s heap that outlived a full collection", API_HEAP)
        .isLessThan(MAX_LIVE_HEAP_MB);
    assertThat(longestBlock(log))
        .as("longest event-loop block (ms); %d submissions were refused with 503", refused.get())
        .isLessThan(5_000);
    System.out.printf(
        "all %d jobs succeeded %.1f s after the first submission; at most %d MB of the api's"
            + " heap outlived a full collection%n",
        JOBS, Duration.between(begin, Instant.now()).toMillis() / 1000.0, mostLive >> 20);
  }

  /**
   * The most of the api's heap that outlived a full collection, sampled from its metrics from start
   * to stop. Zero when no full collection was needed.
   */
  private static final class LiveHeap {
    private final AtomicLong most = new AtomicLong();
    private final ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "live-heap");
              t.setDaemon(true);
              return t;
            });

    static LiveHeap watch(ServiceProcess process) {
      LiveHeap heap = new LiveHeap();
      heap.sampler.scheduleWithFixedDelay(
          () ->
              heap.most.accumulateAndGet(
                  (long) process.counterTotal("jvm_gc_live_data_size_bytes"), Math::max),
          0,
          500,
          TimeUnit.MILLISECONDS);
      return heap;
    }

    long stop() {
      sampler.shutdownNow();
      return most.get();
    }
  }

  private static void submitUntilAccepted(
      String batch, AtomicInteger accepted, AtomicInteger refused) {
    for (int tries = 0; tries < 600; tries++) {
      Api.Reply reply = admin.submitBatch(batch);
      if (reply.status() == 202) {
        accepted.addAndGet(reply.body().path("items").size());
        return;
      }
      assertThat(reply.status()).as("a full api refuses with 503, nothing else").isEqualTo(503);
      refused.incrementAndGet();
      sleep(Duration.ofSeconds(Long.parseLong(reply.retryAfter().orElse("1"))));
    }
    throw new AssertionError("a batch was refused 600 times");
  }

  private static String batchOfNoops() {
    StringBuilder body = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < PER_BATCH; i++) {
      body.append(i == 0 ? "" : ",").append("{\"task\":\"system.noop\",\"params\":{}}");
    }
    return body.append("]}").toString();
  }

  private static long longestBlock(String log) {
    long longest = 0;
    Matcher m = BLOCKED.matcher(log);
    while (m.find()) {
      longest = Math.max(longest, Long.parseLong(m.group(1)));
    }
    return longest;
  }

  /** Accepted jobs whose first publish the database has not recorded yet (the outbox's rows). */
  private static long notYetDispatched() throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), cluster.dbUser(), "");
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery("SELECT count(*) FROM jobs WHERE next_dispatch_at IS NOT NULL")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Map<String, Long> countByStatus() throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), cluster.dbUser(), "");
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT status, count(*) FROM jobs GROUP BY status")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    }
    return counts;
  }

  private static void sql(String statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), cluster.dbUser(), "");
        Statement s = c.createStatement()) {
      s.execute(statements);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
