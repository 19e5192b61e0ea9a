package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.DispatchStore;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.JobErrors;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions;
import org.kfm.tasks.contracts.JobTransitions.Decision;
import org.kfm.tasks.contracts.Transition;

/**
 * Publishes, in a loop, everything in the jobs table (the outbox) that is due and not yet
 * published: failed publishes, delayed jobs, retries whose backoff passed. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several api replicas share the work, and marked dispatched only after
 * Kafka acknowledged them. A row past its deadline is expired instead.
 */
@ApplicationScoped
public class DispatchLoop {
  private static final Logger LOG = Logger.getLogger(DispatchLoop.class);
  // What the table makes of a publish and of a missed deadline, for every status a due row has.
  private static final JobStatus PUBLISHED =
      JobTransitions.target(JobStatus.SCHEDULED, Transition.DISPATCHED).orElseThrow();
  private static final JobStatus PAST_DEADLINE =
      JobTransitions.target(JobStatus.SCHEDULED, Transition.EXPIRED).orElseThrow();

  private final Pool pool;
  private final DispatchStore store;
  private final CommandPublisher publisher;
  private final Vertx vertx;
  private final DispatchConfig config;
  private final PublishesInFlight inFlight;
  private final Counter published;
  private final Counter failures;
  private final Counter expired;
  private final Counter leftToRequest;
  private final AtomicBoolean running = new AtomicBoolean();

  public DispatchLoop(
      Pool pool,
      DispatchStore store,
      CommandPublisher publisher,
      Vertx vertx,
      DispatchConfig config,
      PublishesInFlight inFlight,
      MeterRegistry registry) {
    this.pool = pool;
    this.store = store;
    this.publisher = publisher;
    this.vertx = vertx;
    this.config = config;
    this.inFlight = inFlight;
    this.published = registry.counter("kfm.dispatch.published", "path", "loop");
    this.failures = registry.counter("kfm.dispatch.publish.failures");
    this.expired = registry.counter("kfm.dispatch.expired");
    this.leftToRequest = registry.counter("kfm.dispatch.left_to_request");
  }

  void start(@Observes StartupEvent event) {
    running.set(true);
    schedule(config.interval());
  }

  void stop(@Observes ShutdownEvent event) {
    running.set(false);
  }

  private void schedule(Duration delay) {
    if (!running.get()) {
      return;
    }
    vertx.setTimer(
        Math.max(1, delay.toMillis()),
        id ->
            dispatchDue()
                .subscribe()
                .with(
                    count ->
                        schedule(count >= config.batchSize() ? Duration.ZERO : config.interval()),
                    failure -> {
                      if (running.get()) { // a pass cut short by shutdown is no news
                        LOG.warnf("dispatcher pass failed: %s", failure.toString());
                        schedule(config.retryDelay());
                      }
                    }));
  }

  /** One pass: claims due rows, publishes them, records the outcome. Returns the rows claimed. */
  public Uni<Integer> dispatchDue() {
    return pool.withTransaction(
        conn ->
            store
                .claimDue(conn, config.batchSize())
                .flatMap(
                    due ->
                        due.isEmpty()
                            ? Uni.createFrom().item(0)
                            : dispatch(conn, sort(due)).replaceWith(due.size())));
  }

  /** What a pass does with each claimed row. */
  private record Sorted(
      List<JobRow> toPublish, List<JobRow> toExpire, List<UUID> toDrop, List<UUID> toLeave) {}

  private Sorted sort(List<JobRow> due) {
    Instant now = Instant.now();
    Sorted sorted =
        new Sorted(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (JobRow row : due) {
      if (inFlight.contains(row.id())) {
        // Its request is still publishing it: look again after another grace.
        sorted.toLeave().add(row.id());
        continue;
      }
      boolean pastDeadline = row.deadline() != null && now.isAfter(row.deadline());
      Transition transition = pastDeadline ? Transition.EXPIRED : Transition.DISPATCHED;
      Decision decision =
          JobTransitions.decide(row.status(), row.attempt(), transition, row.attempt());
      if (decision.applies()) {
        (pastDeadline ? sorted.toExpire() : sorted.toPublish()).add(row);
      } else {
        // Already moved on (a worker event beat the bookkeeping): nothing to publish.
        LOG.debugf(
            "job=%s status=%s not dispatchable: %s",
            row.id(), row.status().wireName(), decision.reason());
        sorted.toDrop().add(row.id());
      }
    }
    return sorted;
  }

  private Uni<Void> dispatch(SqlConnection conn, Sorted sorted) {
    List<JobRow> toPublish = sorted.toPublish();
    List<Uni<Boolean>> sends = new ArrayList<>();
    for (JobRow row : toPublish) {
      sends.add(
          publisher.publish(row).onItemOrFailure().transform((ok, failure) -> failure == null));
    }
    Uni<List<Boolean>> outcomes =
        sends.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(sends).andFailFast();
    return outcomes.flatMap(
        acked -> {
          List<JobRow> done = new ArrayList<>();
          List<UUID> failed = new ArrayList<>();
          for (int i = 0; i < toPublish.size(); i++) {
            if (acked.get(i)) {
              done.add(toPublish.get(i));
            } else {
              failed.add(toPublish.get(i).id());
            }
          }
          published.increment(done.size());
          failures.increment(failed.size());
          if (!failed.isEmpty()) {
            LOG.warnf(
                "%d commands could not be published; retrying in %s",
                failed.size(), config.retryDelay());
          }
          expired.increment(sorted.toExpire().size());
          sorted
              .toExpire()
              .forEach(
                  r ->
                      LOG.infof(
                          "job=%s task=%s attempt=%d expired before it could run",
                          r.id(), r.task(), r.attempt()));
          leftToRequest.increment(sorted.toLeave().size());
          return Uni.combine()
              .all()
              .unis(
                  store.markDispatched(conn, done, PUBLISHED),
                  store.markEnded(conn, sorted.toExpire(), PAST_DEADLINE, JobErrors.expired()),
                  store.postpone(conn, failed, config.retryDelay()),
                  store.postpone(conn, sorted.toLeave(), config.fastPathGrace()),
                  store.drop(conn, sorted.toDrop()))
              .discardItems();
        });
  }
}
