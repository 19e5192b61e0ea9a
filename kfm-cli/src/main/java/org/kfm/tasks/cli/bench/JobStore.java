package org.kfm.tasks.cli.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads what the system recorded about a benchmark's jobs: latencies come from the rows' created_at
 * and finished_at, never from polling.
 */
public final class JobStore implements AutoCloseable {
  private final Connection connection;

  JobStore(String reactiveUrl, String user) throws SQLException {
    this.connection = DriverManager.getConnection("jdbc:" + reactiveUrl, user, "");
  }

  /**
   * The server's version and the settings a commit's durability and cost depend on: {@code fsync},
   * {@code synchronous_commit}, {@code full_page_writes}; and {@code autovacuum}, without which a
   * table that every job updates several times bloats from repeat to repeat.
   */
  public java.util.Map<String, String> durabilitySettings() throws SQLException {
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
    try (var s = connection.createStatement();
        var rows =
            s.executeQuery(
                "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync',"
                    + " 'synchronous_commit', 'full_page_writes', 'autovacuum') ORDER BY name")) {
      while (rows.next()) {
        settings.put(rows.getString(1), rows.getString(2));
      }
    }
    return settings;
  }

  /**
   * The server's postmaster when it runs on this machine (its backends are its children, so their
   * CPU is counted with it); empty for a server elsewhere.
   */
  public java.util.Optional<Long> localPostmasterPid() throws SQLException {
    long backend;
    try (var s = connection.createStatement();
        var rows = s.executeQuery("SELECT pg_backend_pid()")) {
      rows.next();
      backend = rows.getLong(1);
    }
    try {
      java.nio.file.Path proc = java.nio.file.Path.of("/proc", String.valueOf(backend));
      if (!java.nio.file.Files.readString(proc.resolve("comm")).strip().startsWith("postgres")) {
        return java.util.Optional.empty();
      }
      for (String line : java.nio.file.Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("PPid:")) {
          return java.util.Optional.of(Long.parseLong(line.substring(5).strip()));
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // Not on this machine, or not readable: no server CPU figure then.
    }
    return java.util.Optional.empty();
  }

  /** Jobs of anyone still waiting or running: a backlog that would skew every figure. */
  public long unfinished() throws SQLException {
    try (var s = connection.createStatement();
        var rows =
            s.executeQuery(
                "SELECT count(*) FROM jobs WHERE status IN ('scheduled', 'queued', 'running')")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Whether the settings make every commit durable (on disk before it is acknowledged). */
  public static boolean durable(java.util.Map<String, String> settings) {
    // "local", "remote_write" and "on" all flush the local WAL before the commit returns.
    return "on".equals(settings.get("fsync"))
        && !"off".equals(settings.get("synchronous_commit"))
        && "on".equals(settings.get("full_page_writes"));
  }

  /**
   * Jobs of an owner: how many, how many ended, and the span from first created to last finished.
   */
  record Outcome(
      long total,
      long terminal,
      long succeeded,
      double spanSeconds,
      double p50Ms,
      double p95Ms,
      double p99Ms) {}

  Outcome outcome(String owner) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(*),"
                + " count(*) FILTER (WHERE status IN ('succeeded','failed','canceled','expired')),"
                + " count(*) FILTER (WHERE status = 'succeeded'),"
                + " extract(epoch FROM max(finished_at) - min(created_at)),"
                + " percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000),"
                + " percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000),"
                + " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000)"
                + " FROM jobs WHERE owner = ?")) {
      s.setString(1, owner);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new Outcome(
            r.getLong(1),
            r.getLong(2),
            r.getLong(3),
            r.getDouble(4),
            r.getDouble(5),
            r.getDouble(6),
            r.getDouble(7));
      }
    }
  }

  /** Committed transactions and row writes in this database so far. */
  record Activity(long commits, long rowWrites) {}

  Activity activity() throws SQLException {
    try (PreparedStatement s =
            connection.prepareStatement(
                "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database"
                    + " WHERE datname = current_database()");
        ResultSet r = s.executeQuery()) {
      r.next();
      return new Activity(r.getLong(1), r.getLong(2));
    }
  }

  /** Statistics are flushed by backends at most once a second; wait so deltas are complete. */
  void settleStatistics() throws SQLException, InterruptedException {
    Thread.sleep(1200);
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_stat_clear_snapshot()")) {
      s.execute();
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
