package org.kfm.tasks.api.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** How many of a user's jobs wait for a worker (scheduled or queued), for the per-user cap. */
@ApplicationScoped
public class OwnerBacklog {
  private final Pool pool;

  public OwnerBacklog(Pool pool) {
    this.pool = pool;
  }

  /**
   * Counts at most {@code upTo} rows: the answer only has to say whether the cap is reached, and a
   * user far over it must not cost a scan of all their rows.
   */
  public Uni<Integer> waiting(String owner, int upTo) {
    return pool.preparedQuery(
            "SELECT count(*) FROM (SELECT 1 FROM jobs WHERE owner = $1"
                + " AND status IN ('scheduled', 'queued') LIMIT $2) AS w")
        .execute(Tuple.of(owner, upTo))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }
}
