package org.kfm.tasks.api.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions.Decision;

/**
 * The statements of a user's cancel and retry, each run on a row locked in the caller's
 * transaction. The status each writes is the transition table's decision, passed in.
 */
@ApplicationScoped
public class ControlStore {
  private final JobHistory history;

  public ControlStore(JobHistory history) {
    this.history = history;
  }

  private static final String LOCK =
      "SELECT id, owner, status, attempt FROM jobs WHERE id = $1 FOR UPDATE";
  private static final String CANCEL =
      "UPDATE jobs SET status = $2, cancel_requested_at = now(), finished_at = now(),"
          + " next_dispatch_at = NULL, updated_at = now() WHERE id = $1";
  private static final String REQUEST_CANCEL =
      "UPDATE jobs SET cancel_requested_at = now(), updated_at = now() WHERE id = $1";
  private static final String RETRY =
      "UPDATE jobs SET status = $2, attempt = $3, max_attempts = GREATEST(max_attempts, $3),"
          + " run_at = now(), next_dispatch_at = now(), dispatched_at = NULL,"
          + " started_at = NULL, finished_at = NULL, worker_id = NULL, progress = NULL,"
          + " cancel_requested_at = NULL, deadline = now() + (deadline - run_at),"
          + " updated_at = now() WHERE id = $1";

  /** A job's row as a cancel or retry needs it. */
  public record Locked(UUID id, String owner, JobStatus status, int attempt) {}

  public Uni<Optional<Locked>> lock(SqlConnection conn, UUID id) {
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.empty();
              }
              Row r = it.next();
              return Optional.of(
                  new Locked(
                      r.getUUID("id"),
                      r.getString("owner"),
                      JobStatus.fromWireName(r.getString("status")),
                      r.getInteger("attempt")));
            });
  }

  /** Ends a job that had not started with the status the table gave a cancel request. */
  public Uni<Void> cancel(SqlConnection conn, Locked job, Decision decision) {
    return conn.preparedQuery(CANCEL)
        .execute(Tuple.of(job.id(), decision.next().wireName()))
        .chain(() -> history(conn, job.id(), decision.next().wireName(), job.attempt()));
  }

  /** Records the request on a running job; its worker ends it. */
  public Uni<Void> requestCancel(SqlConnection conn, Locked job) {
    return conn.preparedQuery(REQUEST_CANCEL)
        .execute(Tuple.of(job.id()))
        .chain(() -> history(conn, job.id(), "cancel_requested", job.attempt()));
  }

  /**
   * Starts the attempt the table gave a manual retry, due now, with a deadline as long as before.
   */
  public Uni<Void> retry(SqlConnection conn, Locked job, Decision decision) {
    return conn.preparedQuery(RETRY)
        .execute(Tuple.of(job.id(), decision.next().wireName(), decision.nextAttempt()))
        .chain(() -> history(conn, job.id(), decision.next().wireName(), decision.nextAttempt()));
  }

  private Uni<Void> history(SqlConnection conn, UUID id, String type, int attempt) {
    return history.append(conn, List.of(HistoryEntry.of(id, type, attempt)));
  }
}
