package org.kfm.tasks.api.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;

/** Single-job statements the lease watchdog runs inside its transaction. */
@ApplicationScoped
public class ProjectionStore {

  /**
   * Starts a new attempt after a backoff: clears the previous attempt's start, worker and progress,
   * keeps its error visible, and hands the job back to the dispatcher for {@code runAt}.
   */
  public Uni<Void> scheduleAttempt(
      SqlConnection conn,
      UUID jobId,
      JobStatus status,
      int attempt,
      String errorJson,
      Instant runAt,
      boolean uncounted) {
    String sql =
        "UPDATE jobs SET status = $2, attempt = $3, max_attempts = max_attempts + $6,"
            + " started_at = NULL, worker_id = NULL,"
            + " progress = NULL, error = COALESCE($4::text::jsonb, error), run_at = $5,"
            + " next_dispatch_at = $5, dispatched_at = NULL, updated_at = now() WHERE id = $1";
    return conn.preparedQuery(sql)
        .execute(
            Tuple.from(
                Arrays.asList(
                    jobId, status.wireName(), attempt, errorJson, utc(runAt), uncounted ? 1 : 0)))
        .replaceWithVoid();
  }

  /** Appends to the job's history; an event id seen before is not recorded twice. */
  public Uni<Void> record(
      SqlConnection conn,
      UUID jobId,
      UUID eventId,
      String type,
      int attempt,
      Instant at,
      String dataJson) {
    return conn.preparedQuery(
            "INSERT INTO job_events (job_id, event_id, type, attempt, at, data)"
                + " VALUES ($1, $2, $3, $4, $5, $6::text::jsonb) ON CONFLICT (event_id) DO NOTHING")
        .execute(Tuple.from(Arrays.asList(jobId, eventId, type, attempt, utc(at), dataJson)))
        .replaceWithVoid();
  }

  private static java.time.OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
