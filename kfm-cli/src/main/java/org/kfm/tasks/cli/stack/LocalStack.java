package org.kfm.tasks.cli.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.kfm.tasks.localkafka.FreePorts;
import org.kfm.tasks.localkafka.KafkaBroker;

/** The whole system on one machine: PostgreSQL, Kafka, api-service and workers, no Docker. */
public final class LocalStack {
  private static final Duration PART_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final StackLayout layout;
  private final Launcher launcher;
  private final PrintStream out;

  public LocalStack(StackLayout layout, PrintStream out) {
    this.layout = layout;
    this.launcher = new Launcher(layout);
    this.out = out;
  }

  /**
   * A part to start: how to launch it, its port and the setting that changes it, and when it is
   * ready.
   */
  private record Part(
      String name,
      int port,
      String portSetting,
      List<String> command,
      Map<String, String> env,
      BooleanSupplier ready) {}

  /** Thrown when up cannot proceed; the message says what to do. */
  public static final class StackException extends RuntimeException {
    public StackException(String message) {
      super(message);
    }
  }

  public List<String> recordedParts() {
    if (!Files.isDirectory(layout.run())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(layout.run())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Name and PID of each recorded part that is alive. */
  public Map<String, Long> running() {
    Map<String, Long> alive = new LinkedHashMap<>();
    for (String part : recordedParts()) {
      launcher.running(part).ifPresent(p -> alive.put(part, p.pid()));
    }
    return alive;
  }

  /** Starts everything and waits until each part is healthy. Returns false if it was already up. */
  public boolean up(boolean workerPerClass) {
    Map<String, Long> alive = running();
    if (!alive.isEmpty()) {
      out.println("KFM Tasks is already running (" + describe(alive) + ").");
      out.println("  ./kfm status shows each part; ./kfm down stops them.");
      return false;
    }
    List<Part> infrastructure = new ArrayList<>();
    if (layout.externalDbUrl().isEmpty()) {
      infrastructure.add(postgres());
    }
    infrastructure.add(kafka());
    if (layout.noaaBaseUrl().isEmpty()) {
      infrastructure.add(forecasts());
    }
    List<Part> services = new ArrayList<>();
    services.add(api());
    layout.workers(workerPerClass).forEach(w -> services.add(worker(w)));
    checkPorts(infrastructure, services);
    LocalKeys.ensure(layout);

    Instant begin = Instant.now();
    out.println("Starting KFM Tasks (state in " + layout.state() + ")");
    try {
      startAll(infrastructure, begin);
      startAll(services, begin);
    } catch (StackException e) {
      out.println("Stopping what was started.");
      down();
      throw e;
    }
    printWelcome(Duration.between(begin, Instant.now()), workerPerClass);
    return true;
  }

  private void checkPorts(List<Part> infrastructure, List<Part> services) {
    List<Part> all = new ArrayList<>(infrastructure);
    all.addAll(services);
    for (Part part : all) {
      if (FreePorts.isListening(part.port())) {
        throw new StackException(
            "port "
                + part.port()
                + " ("
                + part.name()
                + ") is already in use; set "
                + part.portSetting()
                + " to a free port, e.g. "
                + part.portSetting()
                + "="
                + FreePorts.next()
                + " ./kfm up");
      }
    }
    if (FreePorts.isListening(layout.kafkaControllerPort())) {
      throw new StackException(
          "port "
              + layout.kafkaControllerPort()
              + " (kafka controller) is already in use; set KFM_KAFKA_CONTROLLER_PORT to a free port");
    }
  }

  private void startAll(List<Part> parts, Instant begin) {
    for (Part part : parts) {
      launcher.start(part.name(), part.command(), part.env());
    }
    for (Part part : parts) {
      Instant deadline = Instant.now().plus(PART_TIMEOUT);
      out.printf("  %-26s starting", part.name());
      out.flush();
      long dots = 0;
      while (!part.ready().getAsBoolean()) {
        if (launcher.running(part.name()).isEmpty()) {
          out.println(" exited");
          throw new StackException(
              part.name()
                  + " exited during start; its log "
                  + layout.logFile(part.name())
                  + " ends with:\n"
                  + tail(part.name()));
        }
        if (Instant.now().isAfter(deadline)) {
          out.println(" not ready");
          throw new StackException(
              part.name()
                  + " was not ready within "
                  + PART_TIMEOUT.toSeconds()
                  + " s; see "
                  + layout.logFile(part.name())
                  + ":\n"
                  + tail(part.name()));
        }
        if (++dots % 5 == 0) {
          out.print(".");
          out.flush();
        }
        Launcher.sleep(200);
      }
      out.printf(" ready (%.1f s)%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    }
  }

  public String tail(String part) {
    try {
      List<String> lines = Files.readAllLines(layout.logFile(part));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Stops every recorded part, services first. Returns the parts that were running. */
  public List<String> down() {
    List<String> stopped = new ArrayList<>();
    List<String> parts = new ArrayList<>(recordedParts());
    // Workers and the API before the broker and the database they depend on.
    parts.sort((a, b) -> Integer.compare(stopOrder(a), stopOrder(b)));
    for (String part : parts) {
      if (launcher.stop(part, STOP_GRACE)) {
        stopped.add(part);
      }
    }
    return stopped;
  }

  private static int stopOrder(String part) {
    if (part.startsWith("worker")) {
      return 0;
    }
    return switch (part) {
      case "api" -> 1;
      case "kafka" -> 2;
      default -> 3;
    };
  }

  private Part postgres() {
    Path ready = layout.run().resolve("postgres.ready");
    try {
      Files.deleteIfExists(ready);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        List.of(
            java(),
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-cp",
            ownClasspath(),
            PostgresMain.class.getName(),
            layout.pgDir().resolve("data").toString(),
            String.valueOf(layout.pgPort()),
            ready.toString(),
            layout.fastDb() ? "fast" : "durable");
    return new Part(
        "postgres", layout.pgPort(), "KFM_PG_PORT", command, Map.of(), () -> Files.exists(ready));
  }

  private Part kafka() {
    KafkaBroker broker =
        KafkaBroker.at(layout.kafkaDir(), layout.kafkaPort(), layout.kafkaControllerPort());
    broker.formatIfNeeded();
    return new Part(
        "kafka",
        layout.kafkaPort(),
        "KFM_KAFKA_PORT",
        broker.command(List.of()),
        Map.of(),
        () -> FreePorts.isListening(layout.kafkaPort()));
  }

  /** Forecast fixtures in the NWS API's shape, for ingest.noaa_forecast without the internet. */
  private Part forecasts() {
    List<String> command =
        List.of(
            java(),
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            ownClasspath(),
            ForecastServer.class.getName(),
            String.valueOf(layout.forecastPort()));
    return new Part(
        "forecasts",
        layout.forecastPort(),
        "KFM_FORECAST_PORT",
        command,
        Map.of(),
        () -> FreePorts.isListening(layout.forecastPort()));
  }

  private Part api() {
    Map<String, String> env = new HashMap<>();
    env.put("KFM_API_PORT", String.valueOf(layout.apiPort()));
    env.put("KFM_DB_URL", layout.dbUrl());
    env.put("KFM_DB_USER", layout.dbUser());
    env.put("KFM_KAFKA", "127.0.0.1:" + layout.kafkaPort());
    env.put("KFM_JWT_PUBLIC_KEY", LocalKeys.publicKey(layout).toString());
    env.put("KFM_JWT_ISSUER", LocalKeys.ISSUER);
    env.put("KFM_ARTIFACTS_DIR", layout.artifactsDir().toString());
    int port = layout.apiPort();
    return new Part("api", port, "KFM_API_PORT", service("api-service"), env, () -> healthy(port));
  }

  private Part worker(StackLayout.WorkerPart worker) {
    return new Part(
        worker.name(),
        worker.port(),
        "KFM_WORKER_PORT",
        service("worker-service"),
        workerEnvironment(worker),
        () -> healthy(worker.port()));
  }

  /** The environment of a worker process serving {@code worker.classes()}. */
  public Map<String, String> workerEnvironment(StackLayout.WorkerPart worker) {
    Map<String, String> env = new HashMap<>();
    env.put("KFM_WORKER_PORT", String.valueOf(worker.port()));
    env.put("KFM_KAFKA", "127.0.0.1:" + layout.kafkaPort());
    // The worker's own schema lives in the stack's database; its files beside the api's reads.
    env.put("KFM_DB_URL", layout.dbUrl());
    env.put("KFM_DB_USER", layout.dbUser());
    env.put("KFM_ARTIFACTS_DIR", layout.artifactsDir().toString());
    env.put("KFM_NOAA_BASE_URL", layout.forecastUrl());
    for (String cls : List.of("cpu-heavy", "io-heavy", "latency-sensitive")) {
      env.put(
          "KFM_SERVE_" + cls.toUpperCase().replace('-', '_'),
          String.valueOf(worker.classes().contains(cls)));
    }
    return env;
  }

  /** The command that runs a packaged service module. */
  public List<String> service(String module) {
    Path jar = layout.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new StackException(jar + " is missing; build with ./mvnw -DskipTests package");
    }
    // Live data is about 20 MB per service; requests beyond the API's admission limit are shed
    // with 503 rather than queued, so the heap stays bounded under overload. The API holds more
    // in passing (batches of a thousand jobs, the Kafka producer's buffer pool): at 128 MB it spent
    // seconds in full collections under batch load. The code cache is left at its default: at
    // 64 MB the JIT kept flushing and recompiling hot code.
    // The heap starts small and grows only as far as load needs: by default it starts at 1/64 of
    // the machine's memory, capped by -Xmx, so on a large machine all of it was resident at once.
    // Outside the heap, malloc keeps what the JIT and the class loaders freed (40 MB of the API's
    // 360 after a batch run); trimming it every few seconds hands that back.
    String heap = module.equals("api-service") ? "-Xmx192m" : "-Xmx128m";
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Xms32m",
                heap,
                "-XX:+UseSerialGC",
                "-Xss512k",
                "-XX:TrimNativeHeapInterval=5000"));
    // Later flags win, so these override the defaults above.
    String extra = System.getenv("KFM_SERVICE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    return command;
  }

  private static boolean healthy(int port) {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String ownClasspath() {
    return System.getProperty("java.class.path");
  }

  private static String describe(Map<String, Long> alive) {
    List<String> parts = new ArrayList<>();
    alive.forEach((name, pid) -> parts.add(name + " pid " + pid));
    return String.join(", ", parts);
  }

  /** One line per recorded part: running or not, PID, port health. */
  public void printStatus() {
    List<String> parts = recordedParts();
    if (parts.isEmpty()) {
      out.println(
          "KFM Tasks is not running here (" + layout.state() + "). Start it with ./kfm up.");
      return;
    }
    for (String part : parts) {
      var handle = launcher.running(part);
      out.printf(
          "  %-26s %s%n",
          part, handle.map(p -> "running, pid " + p.pid()).orElse("stopped (stale pid file)"));
    }
    out.println(
        "  API " + layout.apiUrl() + (healthy(layout.apiPort()) ? " (ready)" : " (not ready)"));
    out.println("  Forecasts " + forecastsLine());
  }

  /** Where ingest.noaa_forecast pulls from, and whether it is the stack's fixtures or real. */
  private String forecastsLine() {
    return layout.noaaBaseUrl().isPresent()
        ? layout.forecastUrl() + " (KFM_NOAA_BASE_URL)"
        : layout.forecastUrl()
            + " (fixtures in the NWS API's shape, not live weather; KFM_NOAA_BASE_URL for a real one)";
  }

  private void printWelcome(Duration took, boolean perClass) {
    String api = layout.apiUrl();
    out.printf("%nKFM Tasks is up (%.1f s).%n", took.toMillis() / 1000.0);
    out.println("  API        " + api + "/api/v1");
    out.println("  OpenAPI    " + api + "/q/openapi    Swagger UI " + api + "/q/swagger-ui");
    out.println(
        "  Metrics    "
            + api
            + "/q/metrics    worker http://127.0.0.1:"
            + layout.workerPort()
            + "/q/metrics");
    out.println("  Health     " + api + "/q/health");
    out.println(
        "  Logs       "
            + layout.logs()
            + "    (./kfm logs api, ./kfm logs "
            + (perClass ? "worker-cpu-heavy" : "worker")
            + ")");
    out.println(
        "  Database   "
            + layout.dbUrl()
            + " (user "
            + layout.dbUser()
            + (layout.externalDbUrl().isPresent()
                ? ")"
                : layout.fastDb()
                    ? "; fast: fsync off, a crash of the machine can lose committed jobs)"
                    : "; durable)"));
    out.println("  Kafka      127.0.0.1:" + layout.kafkaPort());
    out.println("  Forecasts  " + forecastsLine());
    out.println();
    out.println("Try it:");
    out.println("  ./kfm demo");
    out.println(
        "  ./kfm submit analysis.run_simulation --param scenario_id=first --param runs=200000 \\");
    out.println(
        "      --param annual_event_rate=2 --param severity.mu=1 --param severity.sigma=0.5");
    out.println("  ./kfm watch <job id>");
    out.println("Or with curl:");
    out.println("  TOKEN=$(./kfm token --role analyst)");
    out.println(
        "  curl -s -X POST "
            + api
            + "/api/v1/jobs -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
    out.println(
        "      -d '{\"task\":\"analysis.run_simulation\",\"params\":{\"scenario_id\":\"curl\",\"runs\":100000,"
            + "\"annual_event_rate\":2,\"severity\":{\"mu\":1,\"sigma\":0.5}}}'");
    out.println("Stop everything with ./kfm down.");
  }
}
