package org.kfm.tasks.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh database on the PostgreSQL server the machine runs (127.0.0.1:5432 by default; override
 * with KFM_TEST_PG_HOST/PORT/USER). It drops only the database it created.
 */
public final class TestDatabase implements AutoCloseable {
  private final String host;
  private final int port;
  private final String user;
  private final String name;

  private TestDatabase(String host, int port, String user, String name) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.name = name;
  }

  public static TestDatabase create(String purpose) {
    String host = env("KFM_TEST_PG_HOST", "127.0.0.1");
    int port = Integer.parseInt(env("KFM_TEST_PG_PORT", "5432"));
    String user = env("KFM_TEST_PG_USER", "postgres");
    String name =
        "kfm_test_"
            + purpose
            + "_"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"))
            + "_"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    TestDatabase db = new TestDatabase(host, port, user, name);
    db.admin("CREATE DATABASE " + name);
    return db;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  public String name() {
    return name;
  }

  public String user() {
    return user;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }

  public String reactiveUrl() {
    return "postgresql://" + host + ":" + port + "/" + name;
  }

  private void admin(String sql) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach PostgreSQL at " + host + ":" + port + " as " + user + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
