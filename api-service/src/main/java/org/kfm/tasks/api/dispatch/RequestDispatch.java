package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.JobRow;

/**
 * The fast path: publishes just-committed jobs from their request, without waiting for the
 * dispatcher loop, and marks the acknowledged ones dispatched. A publish that fails is left to the
 * loop, which takes the job over after the fast-path grace; while a publish is in flight the loop
 * leaves its job alone. At most {@code kfm.dispatch.fast-path-capacity} jobs are in flight here;
 * past it, accepted jobs wait in the outbox instead of in memory, written due at once so that the
 * loop publishes them on its next pass.
 */
@ApplicationScoped
public class RequestDispatch {
  private static final Logger LOG = Logger.getLogger(RequestDispatch.class);

  private final CommandPublisher publisher;
  private final PublishesInFlight inFlight;
  private final DispatchMarks marks;
  private final Counter published;
  private final Counter failures;
  private final Counter leftToLoop;
  private final int capacity;
  private final AtomicInteger used = new AtomicInteger();

  public RequestDispatch(
      CommandPublisher publisher,
      PublishesInFlight inFlight,
      DispatchMarks marks,
      DispatchConfig config,
      MeterRegistry registry) {
    this.publisher = publisher;
    this.inFlight = inFlight;
    this.marks = marks;
    this.published = registry.counter("kfm.dispatch.published", "path", "request");
    this.failures = registry.counter("kfm.dispatch.publish.failures");
    this.leftToLoop = registry.counter("kfm.dispatch.fast_path.full");
    this.capacity = config.fastPathCapacity();
    registry.gauge("kfm.dispatch.fast_path.in_flight", used);
  }

  /**
   * Takes room for {@code jobs} publishes before their rows are written, or none: when the request
   * path is full, the caller writes the jobs due at once, and the dispatcher loop publishes them on
   * its next pass. Room taken must be used by {@link #dispatchReserved} or given back with {@link
   * #release}.
   */
  public boolean reserve(int jobs) {
    while (true) {
      int now = used.get();
      if (now + jobs > capacity) {
        leftToLoop.increment(jobs);
        return false;
      }
      if (used.compareAndSet(now, now + jobs)) {
        return true;
      }
    }
  }

  /** Gives back room that no publish will use (the rows were not written, or existed already). */
  public void release(int jobs) {
    used.addAndGet(-jobs);
  }

  /**
   * Publishes a just-committed job at once, if there is room; otherwise the loop takes it over
   * after the grace its row was written with.
   */
  public void dispatchAccepted(JobRow row) {
    if (reserve(1)) {
      dispatchReserved(List.of(row));
    }
  }

  /** Publishes just-committed jobs, with room {@link #reserve}d for each of them. */
  public void dispatchReserved(List<JobRow> rows) {
    if (rows.size() == 1) {
      publishOne(rows.get(0));
    } else if (!rows.isEmpty()) {
      publishAll(rows);
    }
  }

  private void publishOne(JobRow row) {
    List<UUID> id = List.of(row.id());
    inFlight.addAll(id);
    // Deferred: a failure while building the publish still reaches the handler that forgets the id.
    Uni.createFrom()
        .deferred(() -> publisher.publish(row))
        .chain(() -> marks.mark(id))
        .subscribe()
        .with(
            done -> {
              settle(id);
              published.increment();
            },
            failure -> {
              settle(id);
              failures.increment();
              LOG.debugf(
                  "job=%s publish deferred to the dispatcher: %s", row.id(), failure.toString());
            });
  }

  /** Publishes jobs together and marks the acknowledged ones with one statement. */
  private void publishAll(List<JobRow> rows) {
    List<UUID> rowIds = rows.stream().map(JobRow::id).toList();
    inFlight.addAll(rowIds);
    List<Uni<UUID>> sends = new ArrayList<>();
    for (JobRow row : rows) {
      sends.add(
          Uni.createFrom()
              .deferred(() -> publisher.publish(row))
              .onItemOrFailure()
              .transform((ok, failure) -> failure == null ? row.id() : null));
    }
    Uni.join()
        .all(sends)
        .andFailFast()
        .flatMap(
            acked -> {
              List<UUID> ids = acked.stream().filter(Objects::nonNull).toList();
              published.increment(ids.size());
              failures.increment(rows.size() - ids.size());
              return ids.isEmpty() ? Uni.createFrom().voidItem() : marks.mark(ids);
            })
        .subscribe()
        .with(
            done -> settle(rowIds),
            failure -> {
              settle(rowIds);
              LOG.debugf("batch publish deferred to the dispatcher: %s", failure.toString());
            });
  }

  private void settle(List<UUID> ids) {
    inFlight.removeAll(ids);
    used.addAndGet(-ids.size());
  }
}
