package org.kfm.tasks.cli.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the local stack keeps its state and which ports it uses. Every port has an environment
 * setting, named in the message when the port is taken.
 */
public record StackLayout(
    Path root,
    Path state,
    int apiPort,
    int workerPort,
    int kafkaPort,
    int kafkaControllerPort,
    int pgPort,
    int forecastPort,
    Optional<String> externalDbUrl,
    Optional<String> noaaBaseUrl,
    String dbUser,
    boolean fastDb) {

  public static StackLayout fromEnvironment(Path root, Map<String, String> env) {
    Path state =
        Path.of(env.getOrDefault("KFM_STATE_DIR", root.resolve(".kfm").toString()))
            .toAbsolutePath();
    return new StackLayout(
        root,
        state,
        port(env, "KFM_API_PORT", 8080),
        port(env, "KFM_WORKER_PORT", 8081),
        port(env, "KFM_KAFKA_PORT", 9092),
        port(env, "KFM_KAFKA_CONTROLLER_PORT", 9093),
        port(env, "KFM_PG_PORT", 54329),
        port(env, "KFM_FORECAST_PORT", 8090),
        Optional.ofNullable(env.get("KFM_DB_URL")).filter(s -> !s.isBlank()),
        Optional.ofNullable(env.get("KFM_NOAA_BASE_URL")).filter(s -> !s.isBlank()),
        env.getOrDefault("KFM_DB_USER", "postgres"),
        "1".equals(env.get("KFM_DB_FAST")) || "true".equalsIgnoreCase(env.get("KFM_DB_FAST")));
  }

  /** The same layout on another external database. */
  public StackLayout withExternalDbUrl(String url) {
    return new StackLayout(
        root,
        state,
        apiPort,
        workerPort,
        kafkaPort,
        kafkaControllerPort,
        pgPort,
        forecastPort,
        Optional.of(url),
        noaaBaseUrl,
        dbUser,
        fastDb);
  }

  /** The same layout with the embedded database's durability switched off or on. */
  public StackLayout withFastDb(boolean fast) {
    return new StackLayout(
        root,
        state,
        apiPort,
        workerPort,
        kafkaPort,
        kafkaControllerPort,
        pgPort,
        forecastPort,
        externalDbUrl,
        noaaBaseUrl,
        dbUser,
        fast);
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number, got " + value);
    }
  }

  public Path logs() {
    return state.resolve("logs");
  }

  public Path run() {
    return state.resolve("run");
  }

  public Path keys() {
    return state.resolve("keys");
  }

  /** Where jobs' files live (the filesystem artifact store shared by the api and the workers). */
  public Path artifactsDir() {
    return state.resolve("artifacts");
  }

  public Path kafkaDir() {
    return state.resolve("kafka");
  }

  public Path pgDir() {
    return state.resolve("postgres");
  }

  public Path pidFile(String part) {
    return run().resolve(part + ".pid");
  }

  public Path logFile(String part) {
    return logs().resolve(part + ".log");
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  public String dbUrl() {
    return externalDbUrl.orElse("postgresql://127.0.0.1:" + pgPort + "/kfm");
  }

  /**
   * Where the workers pull forecasts from: the configured NWS-style API, else the stack's own
   * server of fixtures.
   */
  public String forecastUrl() {
    return noaaBaseUrl.orElse("http://127.0.0.1:" + forecastPort);
  }

  /** Worker parts: one serving all classes, or one per class on consecutive ports. */
  public List<WorkerPart> workers(boolean perClass) {
    return workers(new StackShape(1, perClass));
  }

  /**
   * Worker parts of a shape on consecutive ports from the worker port: one serving all classes, or
   * {@code replicas} per class (the first of each named {@code worker-<class>}, the next ones
   * {@code worker-<class>-<n>}).
   */
  public List<WorkerPart> workers(StackShape shape) {
    if (!shape.workerPerClass()) {
      return List.of(new WorkerPart("worker", workerPort, CLASSES));
    }
    List<WorkerPart> parts = new ArrayList<>();
    for (int replica = 1; replica <= shape.replicas(); replica++) {
      for (String cls : CLASSES) {
        parts.add(
            new WorkerPart(
                "worker-" + cls + suffix(replica), servicePort(parts.size()), List.of(cls)));
      }
    }
    return parts;
  }

  /**
   * Api parts of a shape: {@code api} on the api port; further replicas ({@code api-<n>}) on the
   * ports after the workers'.
   */
  public List<ApiPart> apis(StackShape shape) {
    List<ApiPart> parts = new ArrayList<>();
    parts.add(new ApiPart("api", apiPort));
    int next = workers(shape).size();
    for (int replica = 2; replica <= shape.replicas(); replica++) {
      parts.add(new ApiPart("api" + suffix(replica), servicePort(next++)));
    }
    return parts;
  }

  /**
   * The port of the {@code index}-th service process after the api: counted up from the worker
   * port, stepping over the ports the stack's other parts listen on (with four replicas the count
   * reaches the forecast server's default 8090).
   */
  private int servicePort(int index) {
    Set<Integer> taken = Set.of(apiPort, kafkaPort, kafkaControllerPort, pgPort, forecastPort);
    int port = workerPort;
    for (int i = 0; ; port++) {
      if (taken.contains(port)) {
        continue;
      }
      if (i++ == index) {
        return port;
      }
    }
  }

  private static String suffix(int replica) {
    return replica == 1 ? "" : "-" + replica;
  }

  private static final List<String> CLASSES = List.of("cpu-heavy", "io-heavy", "latency-sensitive");

  /** A worker process and the concurrency classes it serves. */
  public record WorkerPart(String name, int port, List<String> classes) {}

  /** An api replica and its port. */
  public record ApiPart(String name, int port) {
    public String url() {
      return "http://127.0.0.1:" + port;
    }
  }
}
