package org.kfm.tasks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.kfm.tasks.localkafka.FreePorts;

/**
 * Drives the README's run command, ./kfm, as a user would: in its own state folder, on free ports.
 * Starting a whole stack is most of each scenario's cost, so the scenarios run in order on one: the
 * first brings it up cold, uses it, stops it and brings it up warm; the second kills its parts and
 * has ./kfm up bring them back; the port check has a state of its own.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackE2ETest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static Map<String, String> env;
  private static Path state;

  /** What a finished ./kfm command printed, and how it exited. */
  record Run(int exitCode, String output, Duration took) {}

  @BeforeAll
  static void oneStackOnFreePorts() throws IOException {
    env = freshStateOnFreePorts();
    state = Path.of(env.get("KFM_STATE_DIR"));
  }

  @AfterAll
  static void downWhateverIsLeft() {
    kfm(env, Duration.ofSeconds(120), "down");
  }

  private static Map<String, String> freshStateOnFreePorts() throws IOException {
    Map<String, String> fresh = new HashMap<>();
    Path dir = Files.createTempDirectory(ROOT.resolve("e2e-tests/target"), "kfm-state-");
    fresh.put("KFM_STATE_DIR", dir.toString());
    fresh.put("KFM_SKIP_BUILD", "1");
    fresh.put("KFM_API_PORT", String.valueOf(FreePorts.next()));
    fresh.put("KFM_WORKER_PORT", String.valueOf(FreePorts.next()));
    fresh.put("KFM_KAFKA_PORT", String.valueOf(FreePorts.next()));
    fresh.put("KFM_KAFKA_CONTROLLER_PORT", String.valueOf(FreePorts.next()));
    fresh.put("KFM_PG_PORT", String.valueOf(FreePorts.next()));
    fresh.put("KFM_FORECAST_PORT", String.valueOf(FreePorts.next()));
    return fresh;
  }

  private static Run kfm(Duration timeout, String... args) {
    return kfm(env, timeout, args);
  }

  private static Run kfm(Map<String, String> stack, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("kfm").toString());
    command.addAll(List.of(args));
    Instant begin = Instant.now();
    try {
      Path out = Files.createTempFile(Path.of(stack.get("KFM_STATE_DIR")), "kfm-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      builder.environment().putAll(stack);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "./kfm "
                + String.join(" ", args)
                + " did not finish within "
                + timeout
                + ":\n"
                + Files.readString(out));
      }
      return new Run(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Duration.between(begin, Instant.now()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Long> recordedPids(Path stateDir) throws IOException {
    Path run = stateDir.resolve("run");
    if (!Files.isDirectory(run)) {
      return List.of();
    }
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files = Files.list(run)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).strip()));
      }
    }
    return pids;
  }

  /** Leaves the stack running (its warm start), for the next scenario. */
  @Test
  @Order(1)
  void upSubmitWatchDownThenASecondUpStillHasTheJob() throws IOException {
    Run up = kfm(Duration.ofSeconds(300), "up");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output())
        .contains(
            "KFM Tasks is up", "/q/swagger-ui", "./kfm submit", "Forecasts  http://127.0.0.1:");
    System.out.printf(
        "./kfm up (cold: fresh state, embedded PostgreSQL unpacked) took %.1f s%n",
        up.took().toMillis() / 1000.0);

    Run again = kfm(Duration.ofSeconds(30), "up");
    assertThat(again.output()).contains("already running");

    Run submit =
        kfm(
            Duration.ofSeconds(60),
            "submit",
            "analysis.run_simulation",
            "--param",
            "scenario_id=cli",
            "--param",
            "runs=100000",
            "--param",
            "annual_event_rate=2",
            "--param",
            "severity.mu=1",
            "--param",
            "severity.sigma=0.5");
    assertThat(submit.exitCode()).as(submit.output()).isZero();
    String id = submit.output().strip();
    assertThat(id).matches("[0-9a-f-]{36}");

    Run watch = kfm(Duration.ofSeconds(120), "watch", id);
    assertThat(watch.exitCode()).as(watch.output()).isZero();
    assertThat(watch.output()).contains("succeeded", "mean =");

    // The run's outputs: a PDF report of it and a CSV export, downloaded through the CLI.
    String report = submitted("exports.simulation_report", "--param", "run_job_id=" + id);
    String export =
        submitted(
            "exports.dataset",
            "--param",
            "dataset=simulation_runs",
            "--param",
            "format=csv",
            "--param",
            "filters.scenario_id=cli");
    for (String output : List.of(report, export)) {
      Run done = kfm(Duration.ofSeconds(120), "watch", output);
      assertThat(done.exitCode()).as(done.output()).isZero();
    }
    Path downloads = Files.createDirectories(state.resolve("downloads"));
    Run all = kfm(Duration.ofSeconds(60), "download", report, "-o", downloads.toString());
    assertThat(all.exitCode()).as(all.output()).isZero();
    byte[] pdf = Files.readAllBytes(downloads.resolve("report.pdf"));
    assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    Path csv = state.resolve("runs.csv");
    Run one =
        kfm(
            Duration.ofSeconds(60),
            "download",
            export,
            "simulation_runs.csv",
            "-o",
            csv.toString());
    assertThat(one.exitCode()).as(one.output()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("job_id,scenario_id,");
    assertThat(lines.get(1)).startsWith(id + ",cli,100000,");

    demoRunsOneJobOfEveryTaskAndEachSucceeds();

    List<Long> pids = recordedPids(state);
    assertThat(pids).as("postgres, kafka, forecasts, api, worker").hasSize(5);
    Run down = kfm(Duration.ofSeconds(120), "down");
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(pids)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                    .as("pid " + pid)
                    .isEmpty());
    assertThat(kfm(Duration.ofSeconds(30), "status").output()).contains("not running");

    Run warm = kfm(Duration.ofSeconds(300), "up");
    assertThat(warm.exitCode()).as(warm.output()).isZero();
    System.out.printf(
        "./kfm up (warm: existing state) took %.1f s%n", warm.took().toMillis() / 1000.0);
    Run status = kfm(Duration.ofSeconds(30), "status", id, "--json");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).contains("\"status\" : \"succeeded\"");
  }

  /**
   * The demo's lines (task, status, headline, id) once every job has ended: each family of the
   * catalogue succeeded, the forecast came from the stack's own server (periods stored, then
   * unchanged), and the model trained on the demo's runs was used to score them.
   */
  private void demoRunsOneJobOfEveryTaskAndEachSucceeds() {
    Run demo = kfm(Duration.ofSeconds(240), "demo");
    System.out.printf("./kfm demo took %.1f s%n", demo.took().toMillis() / 1000.0);
    assertThat(demo.exitCode()).as(demo.output()).isZero();
    String out = demo.output();
    for (String task :
        List.of(
            "analysis.run_simulation",
            "system.noop",
            "ingest.noaa_forecast",
            "exports.simulation_report",
            "exports.dataset",
            "ml.retrain",
            "ml.batch_inference",
            "ingest.imagery_scene",
            "geo.tile_cache_warm",
            "maintenance.prune_artifacts",
            "maintenance.cache_cleanup")) {
      assertThat(out).as(out).containsPattern("(?m)^" + task.replace(".", "\\.") + " +succeeded ");
    }
    assertThat(out)
        .as(out)
        .doesNotContainPattern("(?m)^[a-z_.]+ +(failed|canceled|expired) ")
        .doesNotContain("no job of these tasks ran")
        .contains("first pull: TOP/31,80: 14 periods stored")
        .contains("second pull: TOP/31,80 unchanged (not_modified)")
        .contains("the forecast: forecast_periods.csv: 14 rows")
        .contains("training data: 30 runs stored")
        .containsPattern("ml\\.retrain +succeeded +from the runs: demo-surrogate v1 on \\d+ runs")
        .contains("promoted version: demo-surrogate v1 scored 30 runs");
  }

  private String submitted(String task, String... params) {
    List<String> args = new ArrayList<>(List.of("submit", task));
    args.addAll(List.of(params));
    Run submit = kfm(Duration.ofSeconds(60), args.toArray(String[]::new));
    assertThat(submit.exitCode()).as(submit.output()).isZero();
    return submit.output().strip();
  }

  /**
   * On the stack the first scenario left running; its own up makes that stack whole (or starts it,
   * should the first scenario have failed half-way) before anything is killed.
   */
  @Test
  @Order(2)
  void upRestartsOnlyWhatDiedAndAfterKill9OfEveryPartDuringALoadBringsItAllBack()
      throws IOException {
    Run up = kfm(Duration.ofSeconds(300), "up");
    assertThat(up.exitCode()).as(up.output()).isZero();
    Map<String, Long> first = recordedPidsByPart();
    String token =
        kfm(Duration.ofSeconds(60), "token", "--user", "load", "--role", "admin").output().strip();
    Api api = new Api("http://127.0.0.1:" + env.get("KFM_API_PORT"), token);

    // One part dies: up starts that part alone and leaves the others as they were.
    ProcessHandle.of(first.get("worker")).orElseThrow().destroyForcibly();
    // SIGKILL is sent, not yet done: the process is gone once its parent reaped it.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ProcessHandle.of(first.get("worker")).isEmpty());
    assertThat(kfm(Duration.ofSeconds(30), "status").output()).contains("not running");
    Run partial = kfm(Duration.ofSeconds(300), "up");
    assertThat(partial.exitCode()).as(partial.output()).isZero();
    assertThat(partial.output()).contains("Starting what is not running: worker");
    Map<String, Long> second = recordedPidsByPart();
    for (String part : List.of("postgres", "kafka", "api")) {
      assertThat(second.get(part)).as(part + " kept its process").isEqualTo(first.get(part));
    }
    assertThat(second.get("worker")).isNotEqualTo(first.get("worker"));

    // Every recorded process killed with SIGKILL while jobs run: PostgreSQL's server outlives its
    // launcher and keeps the port.
    List<String> ids = new ArrayList<>();
    Api.Reply batch = api.submitBatch(noopBatch(300));
    assertThat(batch.status()).as(String.valueOf(batch.body())).isEqualTo(202);
    batch.body().path("items").forEach(j -> ids.add(j.path("id").asText()));
    second.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> second.values().stream().noneMatch(pid -> ProcessHandle.of(pid).isPresent()));
    long orphan = postmasterPid();
    assertThat(ProcessHandle.of(orphan)).as("the server its launcher left").isPresent();

    Run recovered = kfm(Duration.ofSeconds(300), "up");
    assertThat(recovered.exitCode()).as(recovered.output()).isZero();
    assertThat(recovered.output()).contains("Adopted the PostgreSQL server", "KFM Tasks is up");
    System.out.printf(
        "./kfm up after kill -9 of every part took %.1f s%n", recovered.took().toMillis() / 1000.0);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id ->
                            "succeeded"
                                .equals(
                                    api.get("/api/v1/jobs/" + id).body().path("status").asText())));

    Map<String, Long> third = recordedPidsByPart();
    assertThat(third.get("postgres"))
        .as("the adopted server is the recorded part")
        .isEqualTo(orphan);
    Run down = kfm(Duration.ofSeconds(120), "down");
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(third.values()).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
  }

  private static String noopBatch(int jobs) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      items.add("{\"task\":\"system.noop\",\"params\":{\"sleep_ms\":200}}");
    }
    return "{\"jobs\":[" + String.join(",", items) + "]}";
  }

  private Map<String, Long> recordedPidsByPart() throws IOException {
    Map<String, Long> pids = new HashMap<>();
    Path run = state.resolve("run");
    if (Files.isDirectory(run)) {
      try (Stream<Path> files = Files.list(run)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
          String name = file.getFileName().toString();
          pids.put(
              name.substring(0, name.length() - 4), Long.parseLong(Files.readString(file).strip()));
        }
      }
    }
    return pids;
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(
        Files.readAllLines(state.resolve("postgres/data/postmaster.pid")).get(0).strip());
  }

  @Test
  @Order(3)
  void aTakenPortFailsFastNamingThePortAndItsSetting() throws IOException {
    Map<String, String> own = freshStateOnFreePorts();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      own.put("KFM_API_PORT", String.valueOf(taken.getLocalPort()));

      Run up = kfm(own, Duration.ofSeconds(30), "up");

      assertThat(up.exitCode()).isEqualTo(2);
      assertThat(up.output()).contains("port " + taken.getLocalPort(), "KFM_API_PORT");
      assertThat(up.took()).isLessThan(Duration.ofSeconds(15));
      assertThat(recordedPids(Path.of(own.get("KFM_STATE_DIR")))).isEmpty();
    } finally {
      kfm(own, Duration.ofSeconds(120), "down");
    }
  }
}
