package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.instant;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.contracts.AfterAttempt;
import org.kfm.tasks.contracts.AfterAttempt.Kind;
import org.kfm.tasks.contracts.AfterAttempt.Next;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions.Decision;
import org.kfm.tasks.contracts.Wire;

/**
 * A locked jobs row as the projector or the watchdog changes it in memory; the whole state is
 * written back once by {@link JobStates#write}. Its status changes only by a decision of the
 * transition table or the after-attempt rule. JSON columns are kept as text.
 */
public final class JobState {
  static final String COLUMNS =
      "id, task, status, attempt, max_attempts, started_at, finished_at, worker_id,"
          + " progress::text AS progress, result::text AS result, error::text AS error,"
          + " last_heartbeat_at, run_at, next_dispatch_at, dispatched_at, cancel_requested_at";

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

  /** A job with the given identity and position; the other columns start empty. */
  JobState(
      UUID id,
      String task,
      JobStatus status,
      int attempt,
      int maxAttempts,
      Instant cancelRequestedAt) {
    this.id = id;
    this.task = task;
    this.status = status;
    this.attempt = attempt;
    this.maxAttempts = maxAttempts;
    this.cancelRequestedAt = cancelRequestedAt;
  }

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

  public UUID id() {
    return id;
  }

  public String task() {
    return task;
  }

  public JobStatus status() {
    return status;
  }

  public int attempt() {
    return attempt;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public String workerId() {
    return workerId;
  }

  public String error() {
    return error;
  }

  public String result() {
    return result;
  }

  public Instant runAt() {
    return runAt;
  }

  public Instant nextDispatchAt() {
    return nextDispatchAt;
  }

  public boolean changed() {
    return changed;
  }

  /** The job as the after-attempt rule sees it. */
  public AfterAttempt.Job forRule() {
    return new AfterAttempt.Job(status, attempt, maxAttempts, cancelRequestedAt != null);
  }

  /** A start or progress report the table allowed: the attempt is running. */
  public void running(Decision decision, Instant startedAt, Object progress) {
    status = decision.next();
    if (startedAt != null) {
      this.startedAt = startedAt;
    }
    this.progress = json(progress, this.progress);
    // A worker event proves the attempt was published: nothing is left to dispatch.
    nextDispatchAt = null;
    changed = true;
  }

  /** An outcome stands in for a start report that never came. */
  public void startedAt(Instant at) {
    startedAt = at;
    changed = true;
  }

  /** The worker reporting on the attempt is alive now. */
  public void heardFrom(String worker, Instant now) {
    workerId = worker != null ? worker : workerId;
    heartbeatAt = now;
    changed = true;
  }

  /** What a successful attempt leaves on the row besides its status. */
  public void succeededWith(Object lastProgress, Object value) {
    progress = json(lastProgress, progress);
    result = json(value, result);
    changed = true;
  }

  /**
   * Applies the after-attempt rule's decision: the job ends, or its next attempt is scheduled.
   *
   * @param eventId the worker event that reported the end, recorded with the first history entry
   * @return the history entries to append
   */
  public List<HistoryEntry> conclude(Next next, AfterAttempt.End end, UUID eventId) {
    if (!next.applies()) {
      throw new IllegalArgumentException("nothing to conclude: " + next.reason());
    }
    status = next.status();
    error = json(next.error(), error);
    if (next.kind() == Kind.RETRY) {
      // The previous attempt's start, worker and progress no longer apply; its error stays visible.
      attempt = next.attempt();
      maxAttempts += next.addedAttempts();
      startedAt = null;
      workerId = null;
      progress = null;
      runAt = next.runAt();
      nextDispatchAt = next.runAt();
      dispatchedAt = null;
    } else {
      finishedAt = end.at();
      nextDispatchAt = null;
    }
    changed = true;
    List<HistoryEntry> history = new ArrayList<>();
    for (AfterAttempt.Entry entry : next.history()) {
      history.add(HistoryEntry.of(id, history.isEmpty() ? eventId : null, entry));
    }
    return history;
  }

  private static String json(Object value, String otherwise) {
    return value == null ? otherwise : Wire.toJson(value);
  }
}
