package org.kfm.tasks.api.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.Wire;

/**
 * The outbox side of the jobs table: claiming due rows for the dispatcher loop, and recording what
 * became of their publish. Statuses written here are the transition table's decisions, passed in.
 */
@ApplicationScoped
public class DispatchStore {
  private final JobHistory history;

  public DispatchStore(JobHistory history) {
    this.history = history;
  }

  private static final String CLAIM =
      "SELECT "
          + JobRow.COLUMNS
          + " FROM jobs WHERE next_dispatch_at <= now()"
          + " ORDER BY next_dispatch_at LIMIT $1 FOR UPDATE SKIP LOCKED";
  private static final String MARK_DISPATCHED =
      "UPDATE jobs SET status = $2, next_dispatch_at = NULL, dispatched_at = now(),"
          + " updated_at = now() WHERE id = ANY($1)";
  private static final String MARK_ENDED =
      "UPDATE jobs SET status = $2, next_dispatch_at = NULL, finished_at = now(),"
          + " updated_at = now(), error = $3::text::jsonb WHERE id = ANY($1)";
  private static final String POSTPONE =
      "UPDATE jobs SET next_dispatch_at = now() + make_interval(secs => $2::float8) WHERE id = ANY($1)";
  private static final String DROP = "UPDATE jobs SET next_dispatch_at = NULL WHERE id = ANY($1)";

  // Rows are locked in id order first, the order the projector locks them in: an UPDATE over an
  // id list may visit rows in any order, and the two deadlocked under batch load. The lock looks
  // rows up by primary key only, so stale statistics on status cannot lead the planner astray.
  private static final String LOCK_IN_ID_ORDER =
      "SELECT 1 FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE";
  // Only a job still waiting for this first publish: a worker event may have moved it on already.
  private static final String MARK_FIRST_PUBLISHED =
      "UPDATE jobs SET next_dispatch_at = NULL, dispatched_at = now() WHERE id = ANY($1)"
          + " AND attempt = 1 AND status = 'queued' AND next_dispatch_at IS NOT NULL";

  /** Claims up to {@code limit} due rows; other replicas skip them until this transaction ends. */
  public Uni<List<JobRow>> claimDue(SqlConnection conn, int limit) {
    return conn.preparedQuery(CLAIM)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<JobRow> due = new ArrayList<>();
              rows.forEach(r -> due.add(JobRow.from(r)));
              return due;
            });
  }

  /**
   * Marks published rows dispatched with the status the table gave them; a job that changes status
   * here gains a history entry.
   */
  public Uni<Void> markDispatched(SqlConnection conn, List<JobRow> published, JobStatus next) {
    if (published.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<JobRow> changed = published.stream().filter(r -> r.status() != next).toList();
    return conn.preparedQuery(MARK_DISPATCHED)
        .execute(Tuple.of(ids(published), next.wireName()))
        .chain(() -> history(conn, changed, next, null));
  }

  /** Ends rows that will never be published (their deadline passed) with this status and error. */
  public Uni<Void> markEnded(
      SqlConnection conn, List<JobRow> rows, JobStatus status, Object error) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String errorJson = Wire.toJson(error);
    return conn.preparedQuery(MARK_ENDED)
        .execute(Tuple.of(ids(rows), status.wireName(), errorJson))
        .chain(() -> history(conn, rows, status, errorJson));
  }

  /** Leaves rows for a later pass. */
  public Uni<Void> postpone(SqlConnection conn, List<UUID> ids, Duration delay) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(POSTPONE)
        .execute(Tuple.of(ids.toArray(UUID[]::new), delay.toMillis() / 1000.0))
        .replaceWithVoid();
  }

  /** Takes rows out of the outbox: they moved on and have nothing left to publish. */
  public Uni<Void> drop(SqlConnection conn, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(DROP).execute(Tuple.of(ids.toArray(UUID[]::new))).replaceWithVoid();
  }

  /** Marks new jobs whose first publish Kafka acknowledged, locking their rows in id order. */
  public Uni<Void> markFirstPublished(SqlConnection conn, UUID[] ids) {
    return conn.preparedQuery(LOCK_IN_ID_ORDER)
        .execute(Tuple.of(ids))
        .flatMap(locked -> conn.preparedQuery(MARK_FIRST_PUBLISHED).execute(Tuple.of(ids)))
        .replaceWithVoid();
  }

  private Uni<Void> history(
      SqlConnection conn, List<JobRow> rows, JobStatus type, String dataJson) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Instant now = Instant.now();
    return history.append(
        conn,
        rows.stream()
            .map(r -> new HistoryEntry(r.id(), null, type.wireName(), r.attempt(), now, dataJson))
            .toList());
  }

  private static UUID[] ids(List<JobRow> rows) {
    return rows.stream().map(JobRow::id).toArray(UUID[]::new);
  }
}
