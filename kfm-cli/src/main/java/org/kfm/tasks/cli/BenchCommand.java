package org.kfm.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.kfm.tasks.cli.bench.Benchmark;
import org.kfm.tasks.cli.bench.Figures;
import org.kfm.tasks.cli.bench.FreshDatabase;
import org.kfm.tasks.cli.bench.JobStore;
import org.kfm.tasks.cli.bench.MachineProbe;
import org.kfm.tasks.cli.client.LocalTokens;
import org.kfm.tasks.cli.stack.Launcher;
import org.kfm.tasks.cli.stack.LocalKeys;
import org.kfm.tasks.cli.stack.LocalStack;
import org.kfm.tasks.cli.stack.StackLayout;
import org.kfm.tasks.contracts.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./kfm bench}: throughput, latency and cost of the local stack, as JSON and a table. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = "Benchmark the local stack (started if needed) and write the figures as JSON.")
class BenchCommand implements Callable<Integer> {
  @ParentCommand Kfm kfm;

  @Option(names = "--quick", description = "One small repeat of each scenario (about a minute).")
  boolean quick;

  @Option(names = "--no-second-worker", description = "Skip the run with a second worker process.")
  boolean noSecondWorker;

  @Option(
      names = "--fast-db",
      description =
          "Start the embedded PostgreSQL with fsync, synchronous_commit and full_page_writes off"
              + " (when the bench starts the stack itself); the figures are then not those of a"
              + " durable database, and the JSON says so.")
  boolean fastDb;

  private java.util.Map<String, String> database = java.util.Map.of();

  @Option(
      names = "--scenario",
      split = ",",
      description =
          "Run only these scenarios (${COMPLETION-CANDIDATES}); default all. The warm-up and the"
              + " run with a second worker are kept unless turned off.")
  Set<Benchmark.Scenario> scenarios;

  @Option(
      names = "--out",
      description = "Where to write the JSON figures (default: under the state folder).")
  Path out;

  @Option(
      names = "--compare",
      arity = "2",
      description = "Compare two JSON files of earlier runs instead of running.")
  List<Path> compare;

  private double sortMillis;
  private double fsyncMicros;

  @Override
  public Integer call() throws Exception {
    if (compare != null) {
      for (Path file : compare) {
        if (!Files.isReadable(file)) {
          System.err.println("error: cannot read " + file);
          return 2;
        }
      }
      compare(read(compare.get(0)), read(compare.get(1)));
      return 0;
    }
    StackLayout configured = kfm.layout().withFastDb(fastDb || kfm.layout().fastDb());
    String ownDatabase = null;
    if (configured.externalDbUrl().isPresent()
        && new LocalStack(configured, System.out).running().isEmpty()) {
      ownDatabase =
          "kfm_bench_"
              + DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                  .withZone(ZoneOffset.UTC)
                  .format(Instant.now());
      configured =
          configured.withExternalDbUrl(
              FreshDatabase.create(
                  configured.externalDbUrl().get(), configured.dbUser(), ownDatabase));
      System.out.println(
          "database " + ownDatabase + " created for this run on " + configured.dbUrl());
    }
    StackLayout layout = configured;
    sortMillis = MachineProbe.sortMillis();
    fsyncMicros = MachineProbe.fsyncMicros(layout.state());
    System.out.printf(
        "machine: sorts 5M ints in %.0f ms on one core; 8 kB write + fdatasync %.0f µs%n",
        sortMillis, fsyncMicros);
    LocalStack stack = new LocalStack(layout, System.out);
    boolean startedHere = stack.running().isEmpty() && stack.up(false);
    Benchmark.Plan plan = quick ? Benchmark.Plan.quick() : Benchmark.Plan.full();
    Instant began = Instant.now();
    Figures figures = new Figures();
    String failure = null;
    try (var store = Benchmark.openStore(layout.dbUrl(), layout.dbUser())) {
      long backlog = store.unfinished();
      if (backlog > 0) {
        throw new LocalStack.StackException(
            "the database holds "
                + backlog
                + " unfinished jobs, which would be in every figure; let them finish, or run"
                + " on a fresh database (KFM_DB_URL, with no stack running, gets one of its own)");
      }
      database = store.durabilitySettings();
      System.out.printf(
          "database: PostgreSQL %s, fsync=%s, synchronous_commit=%s, full_page_writes=%s (%s)%n",
          database.get("server_version"),
          database.get("fsync"),
          database.get("synchronous_commit"),
          database.get("full_page_writes"),
          JobStore.durable(database) ? "durable" : "NOT durable: commits can be lost in a crash");
      if ("off".equals(database.get("autovacuum"))) {
        System.out.println(
            "warning: autovacuum is off on this server: the jobs table bloats with every repeat,"
                + " and the figures measure that too");
      }
      var key = LocalKeys.signingKey(layout);
      java.util.Map<String, Long> pids = new java.util.LinkedHashMap<>(stack.running());
      postmasterPid(layout)
          .or(() -> localPostmaster(store))
          .ifPresent(pid -> pids.put("postgres-server", pid));
      Benchmark benchmark =
          new Benchmark(
              layout,
              pids,
              store,
              owner ->
                  LocalTokens.sign(
                      key, LocalKeys.ISSUER, owner, List.of("admin"), Duration.ofHours(2)),
              System.out);
      try {
        figures =
            benchmark.run(
                plan,
                scenarios == null || scenarios.isEmpty()
                    ? EnumSet.allOf(Benchmark.Scenario.class)
                    : EnumSet.copyOf(scenarios));
        if (!noSecondWorker) {
          StackLayout.WorkerPart second =
              new StackLayout.WorkerPart(
                  "worker-bench", layout.workerPort() + 10, List.of("latency-sensitive"));
          System.out.println("with a second worker process");
          benchmark.runWithSecondWorker(
              plan,
              new Launcher(layout),
              stack.service("worker-service"),
              stack.workerEnvironment(second));
        }
      } catch (Exception e) {
        // What was measured before the failure is still worth keeping, marked as incomplete.
        figures = benchmark.figures();
        failure = benchmark.current() + ": " + reason(e);
        System.err.println("bench failed during " + failure);
      }
    } finally {
      if (startedHere) {
        stack.down();
      }
      if (ownDatabase != null) {
        FreshDatabase.drop(kfm.layout().externalDbUrl().get(), layout.dbUser(), ownDatabase);
      }
    }
    Path file =
        out != null
            ? out
            : layout
                .state()
                .resolve("bench")
                .resolve(
                    "bench-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                            .withZone(ZoneOffset.UTC)
                            .format(began)
                        + ".json");
    ObjectNode json = toJson(figures, plan, Duration.between(began, Instant.now()));
    if (failure != null) {
      json.put("failed", failure);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file, Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    print(json);
    System.out.println("figures written to " + file);
    if (failure != null) {
      System.err.println(
          "error: the run failed during " + failure + "; its figures are incomplete");
      return 1;
    }
    return 0;
  }

  /** A failure in a line a user can act on: the message, or what kind of failure it was. */
  static String reason(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && (cause.getMessage() == null
            || cause instanceof java.util.concurrent.ExecutionException
            || cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.io.UncheckedIOException)) {
      cause = cause.getCause();
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return "an API request timed out (" + cause.getMessage() + ")";
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  private ObjectNode toJson(Figures figures, Benchmark.Plan plan, Duration took) {
    ObjectNode json = Wire.mapper().createObjectNode();
    ObjectNode machine = json.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memoryMb", memoryMb());
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("sort5MIntsMs", round(sortMillis));
    machine.put("fsyncMicros", round(fsyncMicros));
    ObjectNode db = json.putObject("database");
    database.forEach(db::put);
    db.put("durable", JobStore.durable(database));
    json.put("commit", commit());
    json.put("at", Instant.now().toString());
    json.put("plan", quick ? "quick" : "full");
    if (scenarios != null && !scenarios.isEmpty()) {
      json.put("scenarios", scenarios.toString());
    }
    json.put("repeats", plan.repeats());
    json.put("warmUpSeconds", plan.warmUp().toSeconds());
    json.put("seconds", took.toSeconds());
    ObjectNode all = json.putObject("figures");
    figures
        .all()
        .forEach(
            (name, f) -> {
              ObjectNode node = all.putObject(name);
              node.put("unit", f.unit());
              node.put("median", round(f.median()));
              node.put("min", round(f.min()));
              node.put("max", round(f.max()));
              f.runs().forEach(v -> node.withArray("runs").add(round(v)));
            });
    return json;
  }

  /**
   * The embedded server's postmaster; its CPU time includes its reaped backends. The postgres part
   * itself is only the small JVM that supervises it.
   */
  private static java.util.Optional<Long> localPostmaster(JobStore store) {
    try {
      return store.localPostmasterPid();
    } catch (java.sql.SQLException e) {
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<Long> postmasterPid(StackLayout layout) {
    Path pidFile = layout.pgDir().resolve("data").resolve("postmaster.pid");
    try {
      return layout.externalDbUrl().isPresent() || !Files.exists(pidFile)
          ? java.util.Optional.empty()
          : java.util.Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** Three significant digits: CPU seconds per 1,000 jobs are fractions, rates are thousands. */
  private static double round(double v) {
    if (Double.isNaN(v)) {
      return -1;
    }
    return Math.abs(v) >= 100
        ? Math.round(v * 10) / 10.0
        : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
  }

  private static String show(double v) {
    return String.format(Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.2f" : "%.3f", v);
  }

  private static void print(JsonNode json) {
    JsonNode db = json.path("database");
    System.out.printf(
        "%nPostgreSQL %s, fsync=%s, synchronous_commit=%s, full_page_writes=%s: %s%n",
        db.path("server_version").asText(),
        db.path("fsync").asText(),
        db.path("synchronous_commit").asText(),
        db.path("full_page_writes").asText(),
        db.path("durable").asBoolean() ? "durable" : "NOT durable");
    System.out.printf("%n%-52s %12s %24s%n", "figure", "median", "spread (min..max)");
    json.path("figures")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode f = e.getValue();
              System.out.printf(
                  "%-52s %12s %24s %s%n",
                  e.getKey(),
                  show(f.path("median").asDouble()),
                  show(f.path("min").asDouble()) + ".." + show(f.path("max").asDouble()),
                  f.path("unit").asText());
            });
  }

  private static void compare(JsonNode a, JsonNode b) {
    // Figures from different machines differ for reasons outside the code; say so up front.
    System.out.printf("machine A: %s%nmachine B: %s%n", a.path("machine"), b.path("machine"));
    System.out.printf(
        "database A: %s%ndatabase B: %s%n",
        a.has("database") ? a.path("database") : "(not recorded)",
        b.has("database") ? b.path("database") : "(not recorded)");
    System.out.printf(
        "%-52s %14s %14s %9s%n",
        "figure", a.path("commit").asText("A"), b.path("commit").asText("B"), "change");
    a.path("figures")
        .fields()
        .forEachRemaining(
            e -> {
              double before = e.getValue().path("median").asDouble();
              JsonNode other = b.path("figures").path(e.getKey());
              String after = other.isMissingNode() ? "-" : show(other.path("median").asDouble());
              String change =
                  other.isMissingNode() || before == 0
                      ? ""
                      : String.format(
                          "%+.1f%%", 100 * (other.path("median").asDouble() - before) / before);
              System.out.printf(
                  "%-52s %14s %14s %9s %s%n",
                  e.getKey(), show(before), after, change, e.getValue().path("unit").asText());
            });
  }

  private static JsonNode read(Path file) throws IOException {
    return Wire.fromJson(Files.readString(file), JsonNode.class);
  }

  private static long memoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private String commit() {
    try {
      Process git =
          new ProcessBuilder("git", "-C", kfm.root.toString(), "rev-parse", "--short", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes()).strip();
      return git.waitFor() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
