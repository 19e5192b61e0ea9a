package org.kfm.tasks.worker.tasks.ml;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads the owner's stored simulation runs ({@code worker.simulation_runs}, written by {@code
 * analysis.run_simulation}) as model rows. Only the owner's runs are ever read: a user's model
 * learns from, and scores, nothing of another user's.
 */
@ApplicationScoped
class SimulationRuns {
  private static final String COLUMNS =
      "r.job_id, r.scenario_id, (r.params ->> 'annual_event_rate')::float8, r.horizon_years,"
          + " (r.params -> 'severity' ->> 'mu')::float8,"
          + " (r.params -> 'severity' ->> 'sigma')::float8, r.mean, r.p95, r.finished_at";

  private final DataSource dataSource;

  SimulationRuns(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The owner's most recent runs, at most {@code limit} of them. */
  List<RunRow> latest(String owner, int limit) throws SQLException {
    return read(
        "SELECT "
            + COLUMNS
            + " FROM worker.simulation_runs r WHERE r.owner = ?"
            + " ORDER BY r.finished_at DESC, r.job_id LIMIT ?",
        List.of(owner, limit));
  }

  /** How many of the owner's runs pass the filters ({@code scenario_id}, {@code ids}). */
  long count(String owner, JsonNode filters) throws SQLException {
    Where where = Where.of(owner, filters);
    try (Connection conn = dataSource.getConnection();
        PreparedStatement statement =
            where.bind(conn, "SELECT count(*) FROM worker.simulation_runs r" + where.sql());
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getLong(1);
    }
  }

  /** The owner's runs that pass the filters, in job id order. */
  List<RunRow> matching(String owner, JsonNode filters) throws SQLException {
    Where where = Where.of(owner, filters);
    return read(
        "SELECT " + COLUMNS + " FROM worker.simulation_runs r" + where.sql() + " ORDER BY r.job_id",
        where.binds());
  }

  private List<RunRow> read(String sql, List<Object> binds) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement statement = new Where("", binds).bind(conn, sql)) {
      List<RunRow> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows.add(
              new RunRow(
                  result.getObject(1, UUID.class),
                  result.getString(2),
                  result.getDouble(3),
                  result.getInt(4),
                  result.getDouble(5),
                  result.getDouble(6),
                  result.getDouble(7),
                  result.getDouble(8),
                  result.getTimestamp(9).toInstant()));
        }
      }
      return rows;
    }
  }

  /** The owner and the filters as a WHERE clause; every value a bind parameter. */
  private record Where(String sql, List<Object> binds) {
    static Where of(String owner, JsonNode filters) {
      List<String> conditions = new ArrayList<>();
      List<Object> binds = new ArrayList<>();
      conditions.add("r.owner = ?");
      binds.add(owner);
      if (filters.hasNonNull("scenario_id")) {
        conditions.add("r.scenario_id = ?");
        binds.add(filters.get("scenario_id").asText());
      }
      if (filters.has("ids")) {
        List<UUID> ids = new ArrayList<>();
        filters.get("ids").forEach(id -> ids.add(UUID.fromString(id.asText())));
        conditions.add("r.job_id = ANY (?)");
        binds.add(ids.toArray(UUID[]::new));
      }
      return new Where(" WHERE " + String.join(" AND ", conditions), binds);
    }

    PreparedStatement bind(Connection conn, String query) throws SQLException {
      PreparedStatement statement = conn.prepareStatement(query);
      for (int i = 0; i < binds.size(); i++) {
        Object value = binds.get(i);
        if (value instanceof UUID[] ids) {
          statement.setArray(i + 1, conn.createArrayOf("uuid", ids));
        } else {
          statement.setObject(i + 1, value);
        }
      }
      return statement;
    }
  }
}
