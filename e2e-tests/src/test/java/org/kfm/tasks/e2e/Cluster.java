package org.kfm.tasks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.kfm.tasks.localkafka.FreePorts;
import org.kfm.tasks.localkafka.KafkaBroker;
import org.kfm.tasks.testing.ServiceProcess;
import org.kfm.tasks.testing.TestDatabase;
import org.kfm.tasks.testing.TestKeys;

/** One broker, one database, an api-service and a worker-service, each a real process. */
final class Cluster implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);

  final Path dir;
  final KafkaBroker broker;
  final TestDatabase database;
  final TestKeys keys;
  final ServiceProcess api;
  final ServiceProcess worker;

  private Cluster(
      Path dir,
      KafkaBroker broker,
      TestDatabase database,
      TestKeys keys,
      ServiceProcess api,
      ServiceProcess worker) {
    this.dir = dir;
    this.broker = broker;
    this.database = database;
    this.keys = keys;
    this.api = api;
    this.worker = worker;
  }

  static Cluster start() {
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("target"), "e2e-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
    TestDatabase database = TestDatabase.create("e2e");
    TestKeys keys = TestKeys.generate(dir.resolve("keys"));
    Map<String, String> common = new HashMap<>();
    common.put("KFM_KAFKA", broker.bootstrapServers());
    common.put("KFM_DB_URL", database.reactiveUrl());
    common.put("KFM_DB_USER", database.user());

    Map<String, String> apiEnv = new HashMap<>(common);
    int apiPort = FreePorts.next();
    apiEnv.put("KFM_API_PORT", String.valueOf(apiPort));
    apiEnv.put("KFM_JWT_PUBLIC_KEY", keys.publicKeyPem().toAbsolutePath().toString());
    apiEnv.put("KFM_JWT_ISSUER", TestKeys.ISSUER);
    ServiceProcess api =
        new ServiceProcess(
                "api-service", jar("kfm.api.jar"), apiEnv, apiPort, dir.resolve("api.log"))
            .start(START);

    Map<String, String> workerEnv = new HashMap<>(common);
    int workerPort = FreePorts.next();
    workerEnv.put("KFM_WORKER_PORT", String.valueOf(workerPort));
    ServiceProcess worker =
        new ServiceProcess(
                "worker-service",
                jar("kfm.worker.jar"),
                workerEnv,
                workerPort,
                dir.resolve("worker.log"))
            .start(START);
    return new Cluster(dir, broker, database, keys, api, worker);
  }

  private static Path jar(String property) {
    return Path.of(System.getProperty(property, "missing-" + property)).normalize();
  }

  @Override
  public void close() {
    worker.stop();
    api.stop();
    broker.close();
    database.close();
  }
}
