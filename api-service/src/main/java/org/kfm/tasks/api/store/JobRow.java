package org.kfm.tasks.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.Wire;

/** A jobs row as this service reads it; never leaves the service (clients see it as a JobView). */
public record JobRow(
    UUID id,
    String task,
    int taskVersion,
    JobStatus status,
    JsonNode params,
    String owner,
    String idempotencyKey,
    String paramsHash,
    String queue,
    int attempt,
    int maxAttempts,
    Instant runAt,
    Instant deadline,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    JsonNode progress,
    JsonNode result,
    JsonNode error,
    String traceId,
    JsonNode lineage) {

  private static final String BASE_COLUMNS =
      "id, task, task_version, status, params::text AS params, owner, idempotency_key, params_hash,"
          + " queue, attempt, max_attempts, run_at, deadline, created_at, started_at, finished_at,"
          + " progress::text AS progress, result::text AS result, error::text AS error, trace_id";

  /**
   * The select list of a whole row, matching {@link #from(Row)}: what a single job's view and the
   * dispatcher (whose commands carry the lineage) read.
   */
  public static final String COLUMNS = BASE_COLUMNS + ", lineage::text AS lineage";

  /** The select list of listings: a whole row but its lineage, which only a job's view shows. */
  public static final String SUMMARY_COLUMNS = BASE_COLUMNS + ", NULL::text AS lineage";

  public static JobRow from(Row row) {
    return new JobRow(
        row.getUUID("id"),
        row.getString("task"),
        row.getInteger("task_version"),
        JobStatus.fromWireName(row.getString("status")),
        json(row.getString("params")),
        row.getString("owner"),
        row.getString("idempotency_key"),
        row.getString("params_hash"),
        row.getString("queue"),
        row.getInteger("attempt"),
        row.getInteger("max_attempts"),
        instant(row.getOffsetDateTime("run_at")),
        instant(row.getOffsetDateTime("deadline")),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("started_at")),
        instant(row.getOffsetDateTime("finished_at")),
        json(row.getString("progress")),
        json(row.getString("result")),
        json(row.getString("error")),
        row.getString("trace_id"),
        json(row.getString("lineage")));
  }

  private static JsonNode json(String text) {
    return text == null ? null : Wire.fromJson(text, JsonNode.class);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
