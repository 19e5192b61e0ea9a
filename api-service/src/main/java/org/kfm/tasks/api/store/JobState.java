package org.kfm.tasks.api.projection;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;

/**
 * A locked jobs row as the projector changes it in memory while applying a batch of events; the
 * whole state is written back once. JSON columns are kept as text.
 */
final class JobState {
  final UUID id;
  final String task;
  JobStatus status;
  int attempt;
  int maxAttempts;
  Instant startedAt;
  Instant finishedAt;
  String workerId;
  String progress;
  String result;
  String error;
  Instant heartbeatAt;
  Instant runAt;
  Instant nextDispatchAt;
  Instant dispatchedAt;
  final Instant cancelRequestedAt;
  boolean changed;

  static final String COLUMNS =
      "id, task, status, attempt, max_attempts, started_at, finished_at, worker_id,"
          + " progress::text AS progress, result::text AS result, error::text AS error,"
          + " last_heartbeat_at, run_at, next_dispatch_at, dispatched_at, cancel_requested_at";

  JobState(Row row) {
    id = row.getUUID("id");
    task = row.getString("task");
    status = JobStatus.fromWireName(row.getString("status"));
    attempt = row.getInteger("attempt");
    maxAttempts = row.getInteger("max_attempts");
    startedAt = instant(row.getOffsetDateTime("started_at"));
    finishedAt = instant(row.getOffsetDateTime("finished_at"));
    workerId = row.getString("worker_id");
    progress = row.getString("progress");
    result = row.getString("result");
    error = row.getString("error");
    heartbeatAt = instant(row.getOffsetDateTime("last_heartbeat_at"));
    runAt = instant(row.getOffsetDateTime("run_at"));
    nextDispatchAt = instant(row.getOffsetDateTime("next_dispatch_at"));
    dispatchedAt = instant(row.getOffsetDateTime("dispatched_at"));
    cancelRequestedAt = instant(row.getOffsetDateTime("cancel_requested_at"));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  /** Starts the next attempt: the previous attempt's start, worker and progress no longer apply. */
  void beginAttempt(
      JobStatus next, int nextAttempt, boolean uncounted, String lastError, Instant at) {
    status = next;
    attempt = nextAttempt;
    maxAttempts += uncounted ? 1 : 0;
    startedAt = null;
    workerId = null;
    progress = null;
    error = lastError != null ? lastError : error;
    runAt = at;
    nextDispatchAt = at;
    dispatchedAt = null;
    changed = true;
  }
}
