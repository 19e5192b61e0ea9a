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
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kfm.tasks.localkafka.FreePorts;
import org.kfm.tasks.localkafka.KafkaBroker;

/** The whole system on one machine: PostgreSQL, Kafka, api-service and workers, no Docker. */
public final class LocalStack {
  private static final Duration PART_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** The names a shape gives its services (others, like a benchmark's worker, are not up's). */
  private static final Pattern SERVICE_PART =
      Pattern.compile("api(-\\d+)?|worker(-(cpu-heavy|io-heavy|latency-sensitive)(-\\d+)?)?");

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

  /** Starts a single-replica stack; see {@link #up(StackShape)}. */
  public boolean up(boolean workerPerClass) {
    return up(new StackShape(1, workerPerClass));
  }

  /**
   * Starts every part of {@code shape} that is not running and waits until each is healthy; parts
   * still running are left as they are, so a stack whose part died is made whole again. Parts of an
   * earlier, larger shape are stopped. A PostgreSQL server left running by a killed launcher is
   * adopted. Returns false if everything was already running.
   */
  public boolean up(StackShape shape) {
    Map<String, Long> alive = running();
    List<String> wanted = partNames(shape);
    List<String> beyond =
        alive.keySet().stream()
            .filter(p -> SERVICE_PART.matcher(p).matches() && !wanted.contains(p))
            .toList();
    for (String part : beyond) {
      launcher.stop(part, STOP_GRACE);
    }
    if (!beyond.isEmpty()) {
      out.println("Stopped " + String.join(", ", beyond) + " (not part of this shape).");
    }
    adoptOrphanedPostgres(alive);
    List<String> missing = wanted.stream().filter(p -> !alive.containsKey(p)).toList();
    if (missing.isEmpty()) {
      out.println("KFM Tasks is already running (" + describe(alive) + ").");
      out.println("  ./kfm status shows each part; ./kfm down stops them.");
      return false;
    }
    List<Part> infrastructure = new ArrayList<>();
    if (missing.contains("postgres")) {
      infrastructure.add(postgres());
    }
    if (missing.contains("kafka")) {
      infrastructure.add(kafka());
    }
    if (missing.contains("forecasts")) {
      infrastructure.add(forecasts());
    }
    List<Part> services = new ArrayList<>();
    layout.apis(shape).stream()
        .filter(a -> missing.contains(a.name()))
        .forEach(a -> services.add(api(a)));
    layout.workers(shape).stream()
        .filter(w -> missing.contains(w.name()))
        .forEach(w -> services.add(worker(w)));
    checkPorts(infrastructure, services);
    LocalKeys.ensure(layout);
    shape.record(layout);

    Instant begin = Instant.now();
    boolean restart = !alive.isEmpty();
    out.println(
        restart
            ? "Starting what is not running: "
                + String.join(", ", missing)
                + " (state in "
                + layout.state()
                + ")"
            : "Starting KFM Tasks (state in " + layout.state() + ")");
    try {
      startAll(infrastructure, begin);
      startAll(services, begin);
    } catch (StackException e) {
      if (restart) {
        out.println("Stopping what this run started.");
        infrastructure.forEach(p -> launcher.stop(p.name(), STOP_GRACE));
        services.forEach(p -> launcher.stop(p.name(), STOP_GRACE));
      } else {
        out.println("Stopping what was started.");
        down();
      }
      throw e;
    }
    printWelcome(Duration.between(begin, Instant.now()), shape);
    return true;
  }

  /** Every part of a shape, in start order. */
  private List<String> partNames(StackShape shape) {
    List<String> names = new ArrayList<>();
    if (layout.externalDbUrl().isEmpty()) {
      names.add("postgres");
    }
    names.add("kafka");
    if (layout.noaaBaseUrl().isEmpty()) {
      names.add("forecasts");
    }
    layout.apis(shape).forEach(a -> names.add(a.name()));
    layout.workers(shape).forEach(w -> names.add(w.name()));
    return names;
  }

  /**
   * A launcher killed with SIGKILL leaves its PostgreSQL server running on the port with the data
   * folder locked; starting another would fail. The server is recorded as the part instead, so the
   * services keep their database and ./kfm down stops it. One on another port (the setting changed
   * since) is stopped, and a new one started.
   */
  private void adoptOrphanedPostgres(Map<String, Long> alive) {
    if (layout.externalDbUrl().isPresent() || alive.containsKey("postgres")) {
      return;
    }
    Postmaster.of(pgData())
        .ifPresent(
            server -> {
              if (server.port() == layout.pgPort()) {
                launcher.adopt("postgres", server.pid());
                alive.put("postgres", server.pid());
                out.println(
                    "Adopted the PostgreSQL server left running on port "
                        + server.port()
                        + " (pid "
                        + server.pid()
                        + ", found through "
                        + pgData().resolve("postmaster.pid")
                        + ").");
              } else {
                out.println(
                    "Stopping the PostgreSQL server left running on port "
                        + server.port()
                        + " (pid "
                        + server.pid()
                        + "); the stack's port is now "
                        + layout.pgPort()
                        + ".");
                server.stop(STOP_GRACE);
              }
            });
  }

  private Path pgData() {
    return layout.pgDir().resolve("data");
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
    boolean startsKafka = infrastructure.stream().anyMatch(p -> p.name().equals("kafka"));
    if (startsKafka && FreePorts.isListening(layout.kafkaControllerPort())) {
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

  /**
   * Stops every recorded part, services first, and a PostgreSQL server of the stack's data folder
   * that outlived its launcher. Returns the parts that were running.
   */
  public List<String> down() {
    List<String> stopped = new ArrayList<>();
    List<String> parts = new ArrayList<>(recordedParts());
    // Workers and the API before the broker and the database they depend on.
    parts.sort((a, b) -> Integer.compare(stopOrder(a), stopOrder(b)));
    for (String part : parts) {
      Optional<Long> pid = launcher.running(part).map(ProcessHandle::pid);
      if (pid.isPresent() && Postmaster.isServer(pgData(), pid.get())) {
        // An adopted server: stopped the way PostgreSQL is meant to be, then its record removed.
        Postmaster.of(pgData()).ifPresent(server -> server.stop(STOP_GRACE));
        launcher.stop(part, STOP_GRACE);
        stopped.add(part);
      } else if (launcher.stop(part, STOP_GRACE)) {
        stopped.add(part);
      }
    }
    Postmaster.of(pgData())
        .ifPresent(
            server -> {
              server.stop(STOP_GRACE);
              stopped.add("postgres server left by a killed launcher (pid " + server.pid() + ")");
            });
    StackShape.forget(layout);
    return stopped;
  }

  private static int stopOrder(String part) {
    if (part.startsWith("worker")) {
      return 0;
    }
    if (part.startsWith("api")) {
      return 1;
    }
    return switch (part) {
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

  private Part api(StackLayout.ApiPart api) {
    Map<String, String> env = new HashMap<>();
    env.put("KFM_API_PORT", String.valueOf(api.port()));
    env.put("KFM_DB_URL", layout.dbUrl());
    env.put("KFM_DB_USER", layout.dbUser());
    env.put("KFM_KAFKA", "127.0.0.1:" + layout.kafkaPort());
    env.put("KFM_JWT_PUBLIC_KEY", LocalKeys.publicKey(layout).toString());
    env.put("KFM_JWT_ISSUER", LocalKeys.ISSUER);
    env.put("KFM_ARTIFACTS_DIR", layout.artifactsDir().toString());
    int port = api.port();
    return new Part(
        api.name(),
        port,
        api.name().equals("api") ? "KFM_API_PORT" : "KFM_WORKER_PORT",
        service("api-service"),
        env,
        () -> healthy(port));
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

  /**
   * One line per part of the recorded shape (or per recorded part when none is): running or not,
   * PID, port and, for a service, whether it is ready.
   */
  public void printStatus() {
    Optional<StackShape> shape = StackShape.recorded(layout);
    List<String> recorded = recordedParts();
    if (recorded.isEmpty() && shape.isEmpty()) {
      out.println(
          "KFM Tasks is not running here (" + layout.state() + "). Start it with ./kfm up.");
      Postmaster.of(pgData())
          .ifPresent(
              server ->
                  out.println(
                      "  A PostgreSQL server of this stack is still running (pid "
                          + server.pid()
                          + "): ./kfm down stops it, ./kfm up adopts it."));
      return;
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    Map<String, Boolean> services = new HashMap<>();
    if (layout.externalDbUrl().isEmpty()) {
      ports.put("postgres", layout.pgPort());
    }
    ports.put("kafka", layout.kafkaPort());
    if (layout.noaaBaseUrl().isEmpty()) {
      ports.put("forecasts", layout.forecastPort());
    }
    StackShape known = shape.orElse(StackShape.SINGLE);
    layout.apis(known).forEach(a -> ports.put(a.name(), a.port()));
    layout.workers(known).forEach(w -> ports.put(w.name(), w.port()));
    ports
        .keySet()
        .forEach(name -> services.put(name, name.startsWith("api") || name.startsWith("worker")));
    List<String> parts = new ArrayList<>(shape.isPresent() ? ports.keySet() : List.of());
    recorded.stream().filter(p -> !parts.contains(p)).forEach(parts::add);
    boolean missing = false;
    for (String part : parts) {
      var handle = launcher.running(part);
      Integer port = ports.get(part);
      String where = port == null ? "" : ", port " + port;
      if (handle.isPresent()) {
        String health =
            Boolean.TRUE.equals(services.get(part))
                ? (healthy(port) ? " (ready)" : " (not ready)")
                : "";
        out.printf("  %-26s running, pid %d%s%s%n", part, handle.get().pid(), where, health);
      } else if (part.equals("postgres") && Postmaster.of(pgData()).isPresent()) {
        missing = true;
        out.printf(
            "  %-26s server running without its launcher, pid %d%s%n",
            part, Postmaster.of(pgData()).get().pid(), where);
      } else {
        missing = true;
        out.printf("  %-26s not running%s%n", part, where);
      }
    }
    layout
        .apis(known)
        .forEach(
            a ->
                out.println(
                    "  API " + a.url() + (healthy(a.port()) ? " (ready)" : " (not ready)")));
    if (missing) {
      out.println(
          "Some parts are not running: ./kfm up starts just those (and adopts a PostgreSQL server"
              + " left without its launcher).");
    }
    out.println("  Forecasts " + forecastsLine());
  }

  /** Where ingest.noaa_forecast pulls from, and whether it is the stack's fixtures or real. */
  private String forecastsLine() {
    return layout.noaaBaseUrl().isPresent()
        ? layout.forecastUrl() + " (KFM_NOAA_BASE_URL)"
        : layout.forecastUrl()
            + " (fixtures in the NWS API's shape, not live weather; KFM_NOAA_BASE_URL for a real one)";
  }

  private void printWelcome(Duration took, StackShape shape) {
    String api = layout.apiUrl();
    boolean perClass = shape.workerPerClass();
    out.printf("%nKFM Tasks is up (%.1f s).%n", took.toMillis() / 1000.0);
    out.println("  API        " + api + "/api/v1");
    for (StackLayout.ApiPart replica : layout.apis(shape).subList(1, shape.replicas())) {
      out.println("             " + replica.url() + "/api/v1 (" + replica.name() + ")");
    }
    out.println("  OpenAPI    " + api + "/q/openapi    Swagger UI " + api + "/q/swagger-ui");
    out.println(
        "  Metrics    "
            + api
            + "/q/metrics    worker http://127.0.0.1:"
            + layout.workerPort()
            + "/q/metrics");
    if (shape.replicas() > 1) {
      List<String> workers = new ArrayList<>();
      layout.workers(shape).forEach(w -> workers.add(w.name() + " :" + w.port()));
      out.println("  Workers    " + String.join(", ", workers));
    }
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
