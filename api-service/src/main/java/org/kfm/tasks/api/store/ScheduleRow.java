package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.Wire;

/**
 * One row of {@code schedules}. {@code lastJobStatus} is the status of {@code lastJobId}'s job,
 * read only by the firing claim (null elsewhere, and when that job no longer exists).
 */
public record ScheduleRow(
    String name,
    String cron,
    String timeZone,
    String task,
    JsonNode params,
    boolean enabled,
    String catchUp,
    String overlap,
    Instant nextFireAt,
    Instant lastFiredAt,
    UUID lastJobId,
    String createdBy,
    Instant createdAt,
    String updatedBy,
    Instant updatedAt,
    String lastJobStatus) {

  static final String COLUMNS =
      "s.name, s.cron, s.time_zone, s.task, s.params::text AS params, s.enabled, s.catch_up,"
          + " s.overlap, s.next_fire_at, s.last_fired_at, s.last_job_id, s.created_by, s.created_at,"
          + " s.updated_by, s.updated_at";

  static ScheduleRow from(Row row, boolean withLastJobStatus) {
    return new ScheduleRow(
        row.getString("name"),
        row.getString("cron"),
        row.getString("time_zone"),
        row.getString("task"),
        Wire.fromJson(row.getString("params"), JsonNode.class),
        row.getBoolean("enabled"),
        row.getString("catch_up"),
        row.getString("overlap"),
        instant(row.getOffsetDateTime("next_fire_at")),
        instant(row.getOffsetDateTime("last_fired_at")),
        row.getUUID("last_job_id"),
        row.getString("created_by"),
        instant(row.getOffsetDateTime("created_at")),
        row.getString("updated_by"),
        instant(row.getOffsetDateTime("updated_at")),
        withLastJobStatus ? row.getString("last_job_status") : null);
  }
}
