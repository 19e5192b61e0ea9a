package org.kfm.tasks.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.kfm.tasks.localkafka.KafkaBroker;

/**
 * The real infrastructure a service test runs against: one Kafka broker, one fresh database and a
 * throwaway JWT key pair for the whole test run, shared by every test class of the module.
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {
  /** Tests load the key pair from here: they run in another class loader than this resource. */
  public static final String KEYS_DIR_PROPERTY = "kfm.test.keys-dir";

  private static KafkaBroker broker;
  private static TestDatabase database;
  private static TestKeys keys;

  @Override
  public synchronized Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "stack-");
      broker = KafkaBroker.start(dir.resolve("kafka"));
      database = TestDatabase.create(moduleName());
      keys = TestKeys.generate(dir.resolve("keys"));
      System.setProperty(KEYS_DIR_PROPERTY, dir.resolve("keys").toAbsolutePath().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Map.of(
        "kafka.bootstrap.servers", broker.bootstrapServers(),
        "quarkus.datasource.jdbc.url", database.jdbcUrl(),
        "quarkus.datasource.reactive.url", database.reactiveUrl(),
        "quarkus.datasource.username", database.user(),
        "quarkus.datasource.password", "",
        "mp.jwt.verify.publickey.location", keys.publicKeyPem().toUri().toString(),
        "mp.jwt.verify.issuer", TestKeys.ISSUER,
        "mp.jwt.verify.audiences", TestKeys.AUDIENCE);
  }

  private static String moduleName() {
    return Path.of("").toAbsolutePath().getFileName().toString().replace('-', '_');
  }

  @Override
  public synchronized void stop() {
    if (broker != null) {
      broker.close();
    }
    if (database != null) {
      database.close();
    }
  }
}
