package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.contracts.JobStatus;

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
   * Jobs about to be written, as they are to be written, and the room on the request path taken for
   * their queued ones: for all of them or none. Without room those are written due at once, so that
   * the dispatcher loop publishes them on its next pass instead of after the grace.
   */
  public record Room(List<NewJob> jobs, int taken) {}

  /**
   * Takes room for the queued ones of {@code jobs} before they are written. The room must be used
   * by {@link #dispatchWritten} or given back with {@link #release(Room)}.
   */
  public Room roomFor(List<NewJob> jobs) {
    int queued = (int) jobs.stream().filter(j -> j.status() == JobStatus.QUEUED).count();
    if (queued == 0 || reserve(queued)) {
      return new Room(jobs, queued);
    }
    Instant now = Instant.now();
    return new Room(
        jobs.stream().map(j -> j.status() == JobStatus.QUEUED ? j.dueAt(now) : j).toList(), 0);
  }

  /** Gives back the room of jobs that were not written. */
  public void release(Room room) {
    release(room.taken());
  }

  /**
   * Publishes the queued rows written of {@code room}'s jobs with the room taken for them, and
   * gives back the room of those that were not written (they existed already).
   */
  public void dispatchWritten(Room room, List<JobRow> queuedRows) {
    if (room.taken() == 0) {
      return;
    }
    release(room.taken() - queuedRows.size());
    dispatchReserved(queuedRows);
  }

  /**
   * Takes room for {@code jobs} publishes, or none; when there is none, counts them as left to the
   * dispatcher loop.
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

  /** Gives back room that no publish will use. */
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
  private void dispatchReserved(List<JobRow> rows) {
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
