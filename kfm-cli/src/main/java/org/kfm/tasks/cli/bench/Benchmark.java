package org.kfm.tasks.cli.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.kfm.tasks.cli.stack.Launcher;
import org.kfm.tasks.cli.stack.LocalStack;
import org.kfm.tasks.cli.stack.StackLayout;

/**
 * The benchmark's scenarios against the running local stack. Every job is a {@code system.noop}
 * owned by a user of its own, so each figure is read from exactly its jobs' rows.
 */
public final class Benchmark {
  /**
   * How much load each scenario sends. {@code warmUp} is mixed load sent first and not reported:
   * the services' JIT compilers need minutes of traffic before their code reaches steady state.
   */
  public record Plan(
      Duration warmUp,
      int repeats,
      int singleTotal,
      int batchTotal,
      List<Integer> e2eSizes,
      int singleE2e,
      List<Integer> rates,
      Duration rateDuration,
      int enqueueRate) {
    public static Plan full() {
      return new Plan(
          Duration.ofSeconds(120),
          3,
          2000,
          20_000,
          List.of(20_000, 100_000),
          20_000,
          List.of(100, 1000),
          Duration.ofSeconds(10),
          500);
    }

    public static Plan quick() {
      return new Plan(
          Duration.ofSeconds(20),
          1,
          300,
          5000,
          List.of(5000),
          2000,
          List.of(100, 1000),
          Duration.ofSeconds(3),
          500);
    }
  }

  private final StackLayout layout;
  private final Map<String, Long> pids;
  private final JobStore store;
  private final Function<String, String> tokenFor;
  private final PrintStream out;
  private final Figures figures = new Figures();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private int owners;

  public Benchmark(
      StackLayout layout,
      Map<String, Long> pids,
      JobStore store,
      Function<String, String> tokenFor,
      PrintStream out) {
    this.layout = layout;
    this.pids = pids;
    this.store = store;
    this.tokenFor = tokenFor;
    this.out = out;
  }

  /** The job store of the stack's database, for the benchmark's queries. */
  public static JobStore openStore(String reactiveUrl, String user) throws java.sql.SQLException {
    return new JobStore(reactiveUrl, user);
  }

  private String owner() {
    return "bench-" + run + "-" + (++owners);
  }

  private Load loadAs(String owner) {
    return new Load(layout.apiUrl(), tokenFor.apply(owner));
  }

  /** The scenarios of a run, in the order they run; a run may pick some to rerun one figure. */
  public enum Scenario {
    ENQUEUE_SINGLE,
    ENQUEUE_BATCH,
    E2E_BATCH,
    E2E_SINGLE,
    LATENCY,
    ENQUEUE_LATENCY
  }

  /** A step of a run, run under its name so that a failure can say where it happened. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  private String current = "start";

  /** The step running now, or the one that failed. */
  public String current() {
    return current;
  }

  /** What was measured so far, also after a failed step. */
  public Figures figures() {
    return figures;
  }

  private void step(String name, Step step) throws Exception {
    current = name;
    step.run();
    // A service that died mid-step would otherwise show up only as jobs that never end.
    pids.forEach(
        (part, pid) -> {
          if (!Processes.isAlive(pid)) {
            throw new LocalStack.StackException(
                part + " (pid " + pid + ") exited; see ./kfm logs " + part);
          }
        });
  }

  public Figures run(Plan plan, java.util.Set<Scenario> scenarios) throws Exception {
    step("warm-up", () -> warmUp(plan.warmUp()));
    for (int r = 1; r <= plan.repeats(); r++) {
      out.printf("repeat %d of %d%n", r, plan.repeats());
      if (scenarios.contains(Scenario.ENQUEUE_SINGLE)) {
        step("enqueue_single", () -> enqueueSingle(plan));
      }
      if (scenarios.contains(Scenario.ENQUEUE_BATCH)) {
        step("enqueue_batch", () -> enqueueBatch(plan));
      }
      if (scenarios.contains(Scenario.E2E_BATCH)) {
        for (int n : plan.e2eSizes()) {
          step("e2e_batch " + n, () -> endToEndBatch(n, ""));
        }
      }
      if (scenarios.contains(Scenario.E2E_SINGLE)) {
        step("e2e_single", () -> endToEndSingle(plan.singleE2e()));
      }
      if (scenarios.contains(Scenario.LATENCY)) {
        for (int rate : plan.rates()) {
          step("latency at " + rate + "/s", () -> latencyAtRate(rate, plan.rateDuration()));
        }
      }
      if (scenarios.contains(Scenario.ENQUEUE_LATENCY)) {
        step(
            "enqueue_latency", () -> enqueueLatencyAtRate(plan.enqueueRate(), plan.rateDuration()));
      }
    }
    pids.forEach(
        (part, pid) -> figures.add("memory.peak_rss." + part, "MB", Processes.peakRssMb(pid)));
    return figures;
  }

  /** The end-to-end batch scenario again with a second worker process serving the noop's class. */
  public void runWithSecondWorker(
      Plan plan, Launcher launcher, List<String> workerCommand, Map<String, String> workerEnv)
      throws Exception {
    long pid = launcher.start("worker-bench", workerCommand, workerEnv);
    try {
      waitForHealthy(workerEnv.get("KFM_WORKER_PORT"));
      for (int r = 1; r <= plan.repeats(); r++) {
        step(
            "e2e_batch with a second worker",
            () -> endToEndBatch(plan.e2eSizes().get(0), ".2workers"));
      }
      figures.add("memory.peak_rss.worker-bench", "MB", Processes.peakRssMb(pid));
    } finally {
      launcher.stop("worker-bench", Duration.ofSeconds(30));
    }
  }

  private void waitForHealthy(String port) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    var http = java.net.http.HttpClient.newHttpClient();
    while (Instant.now().isBefore(deadline)) {
      try {
        var response =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          // Give the new member time to join the consumer groups and take partitions.
          Thread.sleep(5000);
          return;
        }
      } catch (java.io.IOException e) {
        // Not up yet.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("second worker not healthy within 120 s");
  }

  private void warmUp(Duration duration) throws Exception {
    out.printf("warming up for %d s (not reported)%n", duration.toSeconds());
    Instant end = Instant.now().plus(duration);
    while (Instant.now().isBefore(end)) {
      String owner = owner();
      Load load = loadAs(owner);
      int accepted = load.closedLoop(500, 8).accepted() + load.batches(5000, 1000, 2).accepted();
      drain(owner, accepted);
    }
  }

  private void enqueueSingle(Plan plan) throws Exception {
    for (int clients : List.of(1, 8, 32)) {
      String owner = owner();
      Load.Result result = loadAs(owner).closedLoop(plan.singleTotal(), clients);
      record(
          "enqueue.single.c" + clients + ".jobs_per_s",
          "jobs/s",
          (result.sent() - result.refused()) / result.seconds());
      figures.add("enqueue.single.c" + clients + ".p99", "ms", result.percentile(0.99));
      drain(owner, result.accepted());
    }
  }

  private void enqueueBatch(Plan plan) throws Exception {
    String owner = owner();
    Load.Result result = loadAs(owner).batches(plan.batchTotal(), 1000, 1);
    record(
        "enqueue.batch1000.jobs_per_s",
        "jobs/s",
        (result.sent() - result.refused()) / result.seconds());
    drain(owner, result.accepted());
  }

  private void endToEndBatch(int total, String suffix) throws Exception {
    String owner = owner();
    Map<String, Double> cpuBefore = cpu();
    store.settleStatistics();
    JobStore.Activity before = store.activity();
    Load.Result result = loadAs(owner).batches(total, 1000, 2);
    JobStore.Outcome outcome = drain(owner, result.accepted());
    store.settleStatistics();
    JobStore.Activity after = store.activity();
    String name = "e2e.batch." + total + suffix;
    record(name + ".jobs_per_s", "jobs/s", outcome.succeeded() / outcome.spanSeconds());
    figures.add(
        name + ".db_commits_per_job",
        "commits",
        (double) (after.commits() - before.commits()) / total);
    figures.add(
        name + ".db_row_writes_per_job",
        "rows",
        (double) (after.rowWrites() - before.rowWrites()) / total);
    cpu()
        .forEach(
            (part, seconds) ->
                figures.add(
                    name + ".cpu_s_per_1000_jobs." + part,
                    "CPU s",
                    (seconds - cpuBefore.get(part)) / (total / 1000.0)));
  }

  private void endToEndSingle(int total) throws Exception {
    String owner = owner();
    Load.Result result = loadAs(owner).closedLoop(total, 32);
    JobStore.Outcome outcome = drain(owner, result.accepted());
    record(
        "e2e.single.c32." + total + ".jobs_per_s",
        "jobs/s",
        outcome.succeeded() / outcome.spanSeconds());
  }

  private void latencyAtRate(int perSecond, Duration duration) throws Exception {
    String owner = owner();
    Load.Result result = loadAs(owner).openLoop(perSecond, duration);
    JobStore.Outcome outcome = drain(owner, result.accepted());
    String name = "latency.at" + perSecond + "_per_s";
    figures.add(name + ".refused", "requests", result.refused());
    figures.add(name + ".p50", "ms", outcome.p50Ms());
    figures.add(name + ".p95", "ms", outcome.p95Ms());
    record(name + ".p99", "ms", outcome.p99Ms());
  }

  private void enqueueLatencyAtRate(int perSecond, Duration duration) throws Exception {
    String owner = owner();
    Load.Result result = loadAs(owner).openLoop(perSecond, duration);
    figures.add("enqueue.at" + perSecond + "_per_s.p50", "ms", result.percentile(0.50));
    record("enqueue.at" + perSecond + "_per_s.p99", "ms", result.percentile(0.99));
    figures.add("enqueue.at" + perSecond + "_per_s.refused", "requests", result.refused());
    drain(owner, result.accepted());
  }

  private Map<String, Double> cpu() {
    Map<String, Double> seconds = new java.util.LinkedHashMap<>();
    pids.forEach((part, pid) -> seconds.put(part, Processes.cpuSecondsWithChildren(pid)));
    return seconds;
  }

  private void record(String name, String unit, double value) {
    figures.add(name, unit, value);
    out.printf("  %-44s %10.1f %s%n", name, value, unit);
  }

  /** Waits until every job of the owner is terminal; bounded by the job count. */
  private JobStore.Outcome drain(String owner, int expected) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60 + expected / 100);
    while (true) {
      JobStore.Outcome outcome = store.outcome(owner);
      if (outcome.total() >= expected && outcome.terminal() == outcome.total()) {
        return outcome;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new LocalStack.StackException(
            owner + ": only " + outcome.terminal() + " of " + expected + " jobs ended in time");
      }
      Thread.sleep(200);
    }
  }
}
