package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Removes finished jobs past their retention, with their history ({@code job_events}) and artifact
 * records ({@code job_artifacts}), which cascade. Rows are claimed with {@code SKIP LOCKED}, so
 * several api replicas delete disjoint batches, and a row a user is retrying or a projector is
 * writing at that moment is left for the next pass.
 */
@ApplicationScoped
public class RetentionStore {
  // Oldest first, through the partial index jobs_finished (V3).
  private static final String DELETE =
      "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status = $1 AND finished_at < $2"
          + " ORDER BY finished_at LIMIT $3 FOR UPDATE SKIP LOCKED)";

  private final Pool pool;

  public RetentionStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Deletes up to {@code limit} jobs in {@code status} that finished before {@code before}, in one
   * transaction of its own; returns how many it deleted.
   *
   * @throws IllegalArgumentException for a status that is not terminal: only finished jobs go
   */
  public Uni<Integer> deleteFinished(JobStatus status, Instant before, int limit) {
    if (!status.isTerminal()) {
      throw new IllegalArgumentException("only finished jobs are removed, not " + status);
    }
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(DELETE)
                .execute(Tuple.of(status.wireName(), utc(before), limit))
                .map(RowSet::rowCount));
  }
}
