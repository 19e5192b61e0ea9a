package org.kfm.tasks.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.kfm.tasks.localkafka.FreePorts;

/** A PostgreSQL server of this test's own, on a fixed port and data folder, that it may stop. */
final class PrivatePostgres implements AutoCloseable {
  private final Path dir;
  private final int port = FreePorts.next();
  private EmbeddedPostgres server;

  PrivatePostgres(Path dir) {
    this.dir = dir;
  }

  String reactiveUrl() {
    return "postgresql://127.0.0.1:" + port + "/kfm";
  }

  synchronized PrivatePostgres start() {
    try {
      Files.createDirectories(dir.resolve("runtime"));
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir.resolve("data"))
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(dir.resolve("runtime").toFile())
              .setPort(port)
              .setRegisterShutdownHook(true)
              .start();
      try (Connection c = server.getPostgresDatabase().getConnection();
          Statement s = c.createStatement();
          ResultSet exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'kfm'")) {
        if (!exists.next()) {
          s.execute("CREATE DATABASE kfm");
        }
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
