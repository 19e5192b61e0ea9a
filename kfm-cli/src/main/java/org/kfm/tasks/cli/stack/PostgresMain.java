package org.kfm.tasks.cli.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded PostgreSQL (real server binaries from Maven Central) for the local stack, with
 * its data kept between runs, until this process is terminated. It is durable unless asked to be
 * fast: the embedded library would otherwise start it with fsync and synchronous_commit off, and a
 * committed job could be lost with the machine.
 */
public final class PostgresMain {
  private PostgresMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    boolean fast = args.length > 3 && args[3].equals("fast");
    String durable = fast ? "off" : "on";
    Files.createDirectories(dataDir.getParent().resolve("runtime"));
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("max_connections", "100")
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("fsync", durable)
            .setServerConfig("synchronous_commit", durable)
            .setServerConfig("full_page_writes", durable)
            .setRegisterShutdownHook(false)
            // Binaries unpack next to the data, not into a shared /tmp folder.
            .setOverrideWorkingDirectory(dataDir.getParent().resolve("runtime").toFile())
            .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'kfm'")) {
      if (!exists.next()) {
        s.execute("CREATE DATABASE kfm");
      }
    }
    Path readyFile = Path.of(args[2]);
    Files.writeString(readyFile, "ready");
    System.out.println(
        "postgres ready on 127.0.0.1:"
            + port
            + ", data in "
            + dataDir
            + (fast ? ", fast: fsync, synchronous_commit and full_page_writes off" : ", durable"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(readyFile);
                    postgres.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }
}
