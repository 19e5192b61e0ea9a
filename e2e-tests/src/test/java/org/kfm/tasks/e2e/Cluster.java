package org.kfm.tasks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.kfm.tasks.localkafka.FreePorts;
import org.kfm.tasks.localkafka.KafkaBroker;
import org.kfm.tasks.testing.ServiceProcess;
import org.kfm.tasks.testing.TestDatabase;
import org.kfm.tasks.testing.TestKeys;

/**
 * One broker, one database, an api-service and a worker-service, each a real process. The worker
 * and the broker can be killed, stopped and started again; with a private database, so can it.
 */
final class Cluster implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);

  final Path dir;
  final KafkaBroker broker;
  final TestKeys keys;
  final ServiceProcess api;
  private final TestDatabase sharedDatabase;
  private final PrivatePostgres privateDatabase;
  private final Map<String, String> workerEnv;
  private final int workerPort;
  private final String workerHeap;
  private ServiceProcess worker;
  private int workerStarts;

  private Cluster(
      Path dir,
      KafkaBroker broker,
      TestDatabase sharedDatabase,
      PrivatePostgres privateDatabase,
      TestKeys keys,
      ServiceProcess api,
      Map<String, String> workerEnv,
      int workerPort,
      String workerHeap) {
    this.dir = dir;
    this.broker = broker;
    this.sharedDatabase = sharedDatabase;
    this.privateDatabase = privateDatabase;
    this.keys = keys;
    this.api = api;
    this.workerEnv = workerEnv;
    this.workerPort = workerPort;
    this.workerHeap = workerHeap;
  }

  /** On the machine's shared PostgreSQL, in a fresh database. */
  static Cluster start() {
    return start(false, Map.of(), Map.of());
  }

  /**
   * @param privateDatabase run a PostgreSQL of the cluster's own, which a test may stop
   */
  static Cluster start(
      boolean privateDatabase, Map<String, String> apiExtra, Map<String, String> workerExtra) {
    return start(privateDatabase, apiExtra, workerExtra, "256m", "256m");
  }

  /**
   * @param apiHeap the api's maximum heap (-Xmx), e.g. the local stack's {@code 192m}
   * @param workerHeap the worker's maximum heap, e.g. the local stack's {@code 128m}
   */
  static Cluster start(
      boolean privateDatabase,
      Map<String, String> apiExtra,
      Map<String, String> workerExtra,
      String apiHeap,
      String workerHeap) {
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("target"), "e2e-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
    TestDatabase shared = null;
    PrivatePostgres own = null;
    String dbUrl;
    String dbUser;
    if (privateDatabase) {
      own = new PrivatePostgres(dir.resolve("postgres")).start();
      dbUrl = own.reactiveUrl();
      dbUser = "postgres";
    } else {
      shared = TestDatabase.create("e2e");
      dbUrl = shared.reactiveUrl();
      dbUser = shared.user();
    }
    TestKeys keys = TestKeys.generate(dir.resolve("keys"));

    Map<String, String> apiEnv = new HashMap<>(apiExtra);
    int apiPort = FreePorts.next();
    apiEnv.put("KFM_KAFKA", broker.bootstrapServers());
    apiEnv.put("KFM_DB_URL", dbUrl);
    apiEnv.put("KFM_DB_USER", dbUser);
    apiEnv.put("KFM_API_PORT", String.valueOf(apiPort));
    apiEnv.put("KFM_JWT_PUBLIC_KEY", keys.publicKeyPem().toAbsolutePath().toString());
    apiEnv.put("KFM_JWT_ISSUER", TestKeys.ISSUER);
    String artifacts = dir.resolve("artifacts").toAbsolutePath().toString();
    apiEnv.put("KFM_ARTIFACTS_DIR", artifacts);
    ServiceProcess api =
        new ServiceProcess(
                "api-service", jar("kfm.api.jar"), apiEnv, apiPort, dir.resolve("api.log"))
            .heap(apiHeap);

    Map<String, String> workerEnv = new HashMap<>(workerExtra);
    workerEnv.put("KFM_KAFKA", broker.bootstrapServers());
    workerEnv.put("KFM_DB_URL", dbUrl);
    workerEnv.put("KFM_DB_USER", dbUser);
    workerEnv.put("KFM_ARTIFACTS_DIR", artifacts);
    int workerPort = FreePorts.next();
    workerEnv.put("KFM_WORKER_PORT", String.valueOf(workerPort));
    Cluster cluster =
        new Cluster(dir, broker, shared, own, keys, api, workerEnv, workerPort, workerHeap);
    // Both services at once, as ./kfm up starts them: neither needs the other up (each migrates a
    // schema of its own).
    CompletableFuture<ServiceProcess> apiStart =
        CompletableFuture.supplyAsync(() -> api.start(START));
    try {
      cluster.startWorker();
      apiStart.join();
    } catch (RuntimeException e) {
      apiStart.handle((started, failure) -> null).join();
      cluster.close();
      throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause
          ? cause
          : e;
    }
    return cluster;
  }

  private static Path jar(String property) {
    return Path.of(System.getProperty(property, "missing-" + property)).normalize();
  }

  ServiceProcess worker() {
    return worker;
  }

  /** Starts a worker (again), with a log of its own per start. */
  synchronized void startWorker() {
    workerStarts++;
    worker =
        new ServiceProcess(
                "worker-service",
                jar("kfm.worker.jar"),
                workerEnv,
                workerPort,
                dir.resolve("worker-" + workerStarts + ".log"))
            .heap(workerHeap)
            .start(START);
  }

  /** The shared database's JDBC address, for a test that changes it under the services. */
  String jdbcUrl() {
    return sharedDatabase.jdbcUrl();
  }

  String dbUser() {
    return sharedDatabase.user();
  }

  void stopDatabase() {
    privateDatabase.stop();
  }

  void startDatabase() {
    privateDatabase.start();
  }

  @Override
  public void close() {
    // Nothing is checked once the last test has run: the services are killed rather than given
    // their graceful stops, the worker's about 10 s (its consumers close one after another).
    if (worker != null) {
      worker.kill();
    }
    api.kill();
    broker.close();
    if (sharedDatabase != null) {
      sharedDatabase.close();
    }
    if (privateDatabase != null) {
      privateDatabase.close();
    }
  }
}
