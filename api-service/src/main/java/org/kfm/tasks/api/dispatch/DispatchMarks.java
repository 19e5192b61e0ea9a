package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kfm.tasks.api.store.DispatchStore;

/**
 * Marks new jobs dispatched once Kafka acknowledged their commands, many at a time: one transaction
 * at a time, each taking everything acknowledged while the previous one ran. A lone submission is
 * marked at once; a burst of single submissions costs a few commits instead of one each.
 */
@ApplicationScoped
public class DispatchMarks {
  private static final int MAX_IDS_PER_FLUSH = 5000;
  // Marks wait behind the running flush, so a flush that hangs (its rows locked by a dispatcher
  // pass waiting for Kafka, or a database that stopped answering) must not hold them forever; given
  // up,
  // its jobs stay due and the dispatcher loop publishes them again after the grace. The abandoned
  // transaction may still commit while the next one runs; both lock in id order.
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  private record Pending(List<UUID> ids, CompletableFuture<Void> done) {}

  private final Pool pool;
  private final DispatchStore store;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();
  private final DistributionSummary flushSize;

  public DispatchMarks(Pool pool, DispatchStore store, MeterRegistry registry) {
    this.pool = pool;
    this.store = store;
    this.flushSize =
        DistributionSummary.builder("kfm.dispatch.mark.jobs")
            .description("jobs marked dispatched per transaction")
            .register(registry);
  }

  /** Completes once the jobs are marked, or fails with the flush that held them. */
  public Uni<Void> mark(List<UUID> ids) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending(ids, done));
    flushIfIdle();
    return Uni.createFrom().completionStage(done);
  }

  private void flushIfIdle() {
    if (!flushing.compareAndSet(false, true)) {
      return;
    }
    List<Pending> taken = new ArrayList<>();
    int count = 0;
    Pending next;
    while (count < MAX_IDS_PER_FLUSH && (next = queue.poll()) != null) {
      taken.add(next);
      count += next.ids().size();
    }
    if (taken.isEmpty()) {
      flushing.set(false);
      // Something may have been queued after the poll and before the flag was cleared.
      if (!queue.isEmpty()) {
        flushIfIdle();
      }
      return;
    }
    // Deferred, so that even a failure while building the transaction settles what was taken and
    // clears the flag; otherwise every later mark would wait forever.
    Uni.createFrom()
        .deferred(
            () -> {
              UUID[] ids = taken.stream().flatMap(p -> p.ids().stream()).toArray(UUID[]::new);
              flushSize.record(ids.length);
              return pool.withTransaction(conn -> store.markFirstPublished(conn, ids));
            })
        .ifNoItem()
        .after(FLUSH_TIMEOUT)
        .fail()
        .subscribe()
        .with(ok -> settle(taken, null), failure -> settle(taken, failure));
  }

  private void settle(List<Pending> taken, Throwable failure) {
    for (Pending pending : taken) {
      if (failure == null) {
        pending.done().complete(null);
      } else {
        pending.done().completeExceptionally(failure);
      }
    }
    flushing.set(false);
    if (!queue.isEmpty()) {
      flushIfIdle();
    }
  }
}
