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
 * Filters apply to the record a row belongs to (a run: owner, finished time, job ids, scenario; a
 * forecast period: its start time, office and grid cell).
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

  /** Rows that pass the filters: of {@code owner}'s runs only, when the dataset is per user. */
  static DatasetQuery of(Dataset dataset, String owner, JsonNode filters) {
    filters
        .fieldNames()
        .forEachRemaining(
            name -> {
              // Submit refuses these already; a command from an older api still gets an answer.
              if (!dataset.filters().contains(name)) {
                throw TaskFailure.permanent(
                    "INVALID_FILTER", dataset.name() + " cannot be filtered by " + name);
              }
            });
    List<String> conditions = new ArrayList<>();
    List<Object> binds = new ArrayList<>();
    if (dataset.ownerScoped()) {
      conditions.add("r.owner = ?");
      binds.add(owner);
    }
    if (filters.hasNonNull("from")) {
      conditions.add(dataset.timeColumn() + " >= ?");
      binds.add(Timestamp.from(instant(filters, "from")));
    }
    if (filters.hasNonNull("to")) {
      conditions.add(dataset.timeColumn() + " < ?");
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
    if (filters.hasNonNull("office")) {
      conditions.add("r.office = ?");
      binds.add(filters.get("office").asText());
    }
    for (String axis : List.of("grid_x", "grid_y")) {
      if (filters.hasNonNull(axis)) {
        conditions.add("r." + axis + " = ?");
        binds.add(filters.get(axis).asInt());
      }
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
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
