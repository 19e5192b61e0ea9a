package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Jobs rows locked, changed in memory as {@link JobState}s and written back: the projector locks a
 * batch's rows by id, the watchdog the rows of lost attempts and of jobs past their deadline.
 * Whatever their number, one statement locks them, one writes them and one appends their history.
 */
@ApplicationScoped
public class JobStates {
  private final JobHistory history;

  public JobStates(JobHistory history) {
    this.history = history;
  }

  private static final String LOCK =
      "SELECT " + JobState.COLUMNS + " FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE";

  private static final String LOCK_LOST =
      "SELECT "
          + JobState.COLUMNS
          + " FROM jobs WHERE status = 'running'"
          + " AND COALESCE(last_heartbeat_at, started_at, updated_at) < now() - make_interval(secs => $1::float8)"
          + " LIMIT $2 FOR UPDATE SKIP LOCKED";

  private static final String LOCK_OVERDUE =
      "SELECT "
          + JobState.COLUMNS
          + " FROM jobs WHERE status IN ('scheduled', 'queued') AND deadline < now()"
          + " LIMIT $1 FOR UPDATE SKIP LOCKED";

  private static final String WRITE =
      "UPDATE jobs SET status = u.status, attempt = u.attempt, max_attempts = u.max_attempts,"
          + " started_at = u.started_at, finished_at = u.finished_at, worker_id = u.worker_id,"
          + " progress = u.progress::jsonb, result = u.result::jsonb, error = u.error::jsonb,"
          + " last_heartbeat_at = u.heartbeat_at, run_at = u.run_at, next_dispatch_at = u.next_dispatch_at,"
          + " dispatched_at = u.dispatched_at, updated_at = now()"
          + " FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[],"
          + " $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[],"
          + " $13::timestamptz[], $14::timestamptz[])"
          + " AS u(id, status, attempt, max_attempts, started_at, finished_at, worker_id, progress, result,"
          + " error, heartbeat_at, run_at, next_dispatch_at, dispatched_at)"
          + " WHERE jobs.id = u.id";

  /** Locks the rows of these jobs in id order, the order every batch writer locks in. */
  public Uni<Map<UUID, JobState>> lock(SqlConnection conn, Collection<UUID> ids) {
    return states(conn.preparedQuery(LOCK).execute(Tuple.of(ids.toArray(UUID[]::new))));
  }

  /**
   * Locks up to {@code limit} running jobs whose worker has not been heard from within the lease.
   */
  public Uni<Map<UUID, JobState>> lockLost(SqlConnection conn, Duration lease, int limit) {
    return states(
        conn.preparedQuery(LOCK_LOST).execute(Tuple.of(lease.toMillis() / 1000.0, limit)));
  }

  /** Locks up to {@code limit} jobs still waiting to run whose deadline has passed. */
  public Uni<Map<UUID, JobState>> lockOverdue(SqlConnection conn, int limit) {
    return states(conn.preparedQuery(LOCK_OVERDUE).execute(Tuple.of(limit)));
  }

  private static Uni<Map<UUID, JobState>> states(Uni<RowSet<Row>> rows) {
    return rows.map(
        found -> {
          Map<UUID, JobState> states = new LinkedHashMap<>();
          found.forEach(r -> states.put(r.getUUID("id"), new JobState(r)));
          return states;
        });
  }

  private Uni<Void> write(SqlConnection conn, Collection<JobState> all) {
    List<JobState> states = all.stream().filter(s -> s.changed).toList();
    if (states.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Tuple values =
        Tuple.from(
            Arrays.asList(
                states.stream().map(s -> s.id).toArray(UUID[]::new),
                states.stream().map(s -> s.status.wireName()).toArray(String[]::new),
                states.stream().map(s -> s.attempt).toArray(Integer[]::new),
                states.stream().map(s -> s.maxAttempts).toArray(Integer[]::new),
                states.stream().map(s -> utc(s.startedAt)).toArray(OffsetDateTime[]::new),
                states.stream().map(s -> utc(s.finishedAt)).toArray(OffsetDateTime[]::new),
                states.stream().map(s -> s.workerId).toArray(String[]::new),
                states.stream().map(s -> s.progress).toArray(String[]::new),
                states.stream().map(s -> s.result).toArray(String[]::new),
                states.stream().map(s -> s.error).toArray(String[]::new),
                states.stream().map(s -> utc(s.heartbeatAt)).toArray(OffsetDateTime[]::new),
                states.stream().map(s -> utc(s.runAt)).toArray(OffsetDateTime[]::new),
                states.stream().map(s -> utc(s.nextDispatchAt)).toArray(OffsetDateTime[]::new),
                states.stream().map(s -> utc(s.dispatchedAt)).toArray(OffsetDateTime[]::new)));
    return conn.preparedQuery(WRITE).execute(values).replaceWithVoid();
  }

  /** Writes the states that changed and appends their history. */
  public Uni<Void> save(
      SqlConnection conn, Collection<JobState> states, List<HistoryEntry> entries) {
    return write(conn, states).chain(() -> history.append(conn, entries));
  }
}
