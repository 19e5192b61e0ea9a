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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * A database slower than the services expect (every row update of {@code jobs} waits 1 ms) under a
 * 100,000-job bulk submission, with the services' local-stack heaps: the api holds no job in memory
 * it cannot bound, so it neither runs out of heap nor blocks its event loop, and every accepted job
 * ends succeeded. Before the request path's publishes were bounded, this ran the api out of memory
 * within a minute.
 */
@Timeout(900)
class SlowDatabaseE2ETest {
  private static final int JOBS = 100_000;
  private static final int PER_BATCH = 1_000;
  private static final Pattern BLOCKED = Pattern.compile("has been blocked for (\\d+) ms");

  private static Cluster cluster;
  private static Api admin;

  @BeforeAll
  static void startCluster() throws SQLException {
    // The local stack's heaps (kfm-cli LocalStack): the api at 192 MB, the worker at 128 MB.
    cluster = Cluster.start(false, Map.of(), Map.of(), "192m", "128m");
    admin = new Api(cluster.api.baseUrl(), cluster.keys.token("bulk", "admin"));
    sql(
        "CREATE FUNCTION slow_row() RETURNS trigger AS $$"
            + " BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$ LANGUAGE plpgsql;"
            + " CREATE TRIGGER slow_row BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION slow_row()");
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

    assertThat(cluster.api.isAlive()).as("api still running").isTrue();
    assertThat(statuses).containsExactly(Map.entry("succeeded", (long) JOBS));
    String log = Files.readString(cluster.api.log());
    assertThat(log).doesNotContain("OutOfMemoryError");
    assertThat(longestBlock(log))
        .as("longest event-loop block (ms); %d submissions were refused with 503", refused.get())
        .isLessThan(5_000);
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
