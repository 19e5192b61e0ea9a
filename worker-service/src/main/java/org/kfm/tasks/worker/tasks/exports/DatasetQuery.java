package org.kfm.tasks.worker.tasks.exports;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.contracts.TaskFailure;

/**
 * The filters of an export as SQL: every value a bind parameter, every column fixed by the dataset.
 * Filters apply to the run a row belongs to (owner, finished time, job ids, scenario).
 */
final class DatasetQuery {
  private final Dataset dataset;
  private final String where;
  private final List<Object> binds;

  private DatasetQuery(Dataset dataset, String where, List<Object> binds) {
    this.dataset = dataset;
    this.where = where;
    this.binds = binds;
  }

  /** Rows of {@code owner}'s runs that pass the filters. */
  static DatasetQuery of(Dataset dataset, String owner, JsonNode filters) {
    List<String> conditions = new ArrayList<>();
    List<Object> binds = new ArrayList<>();
    conditions.add("r.owner = ?");
    binds.add(owner);
    if (filters.hasNonNull("from")) {
      conditions.add("r.finished_at >= ?");
      binds.add(Timestamp.from(instant(filters, "from")));
    }
    if (filters.hasNonNull("to")) {
      conditions.add("r.finished_at < ?");
      binds.add(Timestamp.from(instant(filters, "to")));
    }
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
    String where = " WHERE " + String.join(" AND ", conditions);
    return new DatasetQuery(dataset, where, binds);
  }

  private static java.time.Instant instant(JsonNode filters, String field) {
    String text = filters.get(field).asText();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw TaskFailure.permanent(
          "INVALID_FILTER", "filters." + field + " is not an ISO-8601 date-time: " + text);
    }
  }

  PreparedStatement count(Connection conn) throws SQLException {
    return bind(conn, "SELECT count(*) FROM " + dataset.from() + where);
  }

  PreparedStatement rows(Connection conn) throws SQLException {
    return bind(
        conn,
        "SELECT "
            + dataset.select()
            + " FROM "
            + dataset.from()
            + where
            + " ORDER BY "
            + dataset.orderBy());
  }

  private PreparedStatement bind(Connection conn, String sql) throws SQLException {
    PreparedStatement statement = conn.prepareStatement(sql);
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
