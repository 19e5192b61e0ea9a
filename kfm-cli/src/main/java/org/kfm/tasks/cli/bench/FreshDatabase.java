package org.kfm.tasks.cli.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of the benchmark's own on a server the user named ({@code KFM_DB_URL}), so that no
 * earlier job and no other user's data is in its figures, and nothing of theirs is touched.
 */
public final class FreshDatabase {
  private FreshDatabase() {}

  /**
   * Creates {@code name} on the server of {@code url} (a {@code postgresql://host:port/db} address)
   * and returns the address of the new database.
   */
  public static String create(String url, String user, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:" + on(url, "postgres"), user, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return on(url, name);
  }

  /** Drops a database this class created; {@code name} must be one {@link #create} returned. */
  public static void drop(String url, String user, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:" + on(url, "postgres"), user, "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** The same server address naming another database; query parameters are kept. */
  static String on(String url, String database) {
    URI uri = URI.create(url);
    String rest = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + rest;
  }
}
