package org.kfm.tasks.api.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;

/** The statements the projector runs inside its one transaction per event. */
@ApplicationScoped
public class ProjectionStore {

  /** What the projector needs to know about a job before applying an event. */
  public record Current(
      UUID id, String task, JobStatus status, int attempt, int maxAttempts, Instant deadline) {}

  /** Column values an applied event writes; null means "leave as is". */
  public record Update(
      JobStatus status,
      Instant startedAt,
      Instant finishedAt,
      String workerId,
      String progressJson,
      String resultJson,
      String errorJson,
      Instant heartbeatAt) {}

  public Uni<Optional<Current>> lock(SqlConnection conn, UUID jobId) {
    return conn.preparedQuery(
            "SELECT id, task, status, attempt, max_attempts, deadline FROM jobs WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.empty();
              }
              Row r = it.next();
              var deadline = r.getOffsetDateTime("deadline");
              return Optional.of(
                  new Current(
                      r.getUUID("id"),
                      r.getString("task"),
                      JobStatus.fromWireName(r.getString("status")),
                      r.getInteger("attempt"),
                      r.getInteger("max_attempts"),
                      deadline == null ? null : deadline.toInstant()));
            });
  }

  /** Writes an applied event of the current attempt. */
  public Uni<Void> apply(SqlConnection conn, UUID jobId, Update u) {
    String sql =
        "UPDATE jobs SET status = $2, started_at = COALESCE($3, started_at),"
            + " finished_at = COALESCE($4, finished_at), worker_id = COALESCE($5, worker_id),"
            + " progress = COALESCE($6::text::jsonb, progress), error = COALESCE($7::text::jsonb, error),"
            + " result = COALESCE($8::text::jsonb, result),"
            + " last_heartbeat_at = COALESCE($9, last_heartbeat_at),"
            // A worker event proves the attempt was published: nothing is left to dispatch.
            + " next_dispatch_at = NULL, updated_at = now() WHERE id = $1";
    Tuple values =
        Tuple.from(
            Arrays.asList(
                jobId,
                u.status().wireName(),
                utc(u.startedAt()),
                utc(u.finishedAt()),
                u.workerId(),
                u.progressJson(),
                u.errorJson(),
                u.resultJson(),
                utc(u.heartbeatAt())));
    return conn.preparedQuery(sql).execute(values).replaceWithVoid();
  }

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
