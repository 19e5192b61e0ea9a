package org.kfm.tasks.api.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.projection.ProjectionStore.Current;
import org.kfm.tasks.api.projection.ProjectionStore.Update;
import org.kfm.tasks.contracts.Backoff;
import org.kfm.tasks.contracts.ErrorCodes;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions;
import org.kfm.tasks.contracts.JobTransitions.Decision;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;
import org.kfm.tasks.contracts.Transition;
import org.kfm.tasks.contracts.Wire;

/**
 * Applies one worker status event to its job through the transition table, in one transaction with
 * the row locked. A retryable failure with attempts left becomes a scheduled retry.
 */
@ApplicationScoped
public class EventApplier {
  private static final Logger LOG = Logger.getLogger(EventApplier.class);

  private final Pool pool;
  private final ProjectionStore store;
  private final TaskCatalog catalog;
  private final MeterRegistry registry;
  private final Timer lag;

  public EventApplier(
      Pool pool, ProjectionStore store, TaskCatalog catalog, MeterRegistry registry) {
    this.pool = pool;
    this.store = store;
    this.catalog = catalog;
    this.registry = registry;
    this.lag =
        Timer.builder("kfm.projection.lag")
            .description("time from a worker emitting a status event to its projection")
            .publishPercentileHistogram()
            .register(registry);
  }

  public Uni<Void> apply(JobEvent event) {
    return pool.withTransaction(
            conn ->
                store
                    .lock(conn, event.jobId())
                    .flatMap(
                        current -> {
                          if (current.isEmpty()) {
                            LOG.warnf("job=%s event for an unknown job ignored", event.jobId());
                            count(event, "unknown-job");
                            return Uni.createFrom().voidItem();
                          }
                          return apply(conn, current.get(), event);
                        }))
        .invoke(() -> lag.record(Duration.between(event.at(), Instant.now())));
  }

  private Uni<Void> apply(SqlConnection conn, Current job, JobEvent event) {
    Decision decision =
        JobTransitions.decide(
            job.status(), job.attempt(), event.type().transition(), event.attempt());
    if (!decision.applies()) {
      LOG.debugf(
          "job=%s attempt=%d %s ignored: %s",
          job.id(), event.attempt(), event.type().wireName(), decision.reason());
      count(event, "ignored");
      return Uni.createFrom().voidItem();
    }
    count(event, "applied");
    if (event.type() == JobEventType.FAILED && shouldRetry(job, event)) {
      return scheduleRetry(conn, job, event);
    }
    logOutcome(job, event);
    Uni<Void> write = store.apply(conn, job.id(), updateFor(decision.next(), event));
    if (event.type() == JobEventType.PROGRESS) {
      return write;
    }
    return write.chain(
        () ->
            store.record(
                conn,
                job.id(),
                event.eventId(),
                event.type().wireName(),
                event.attempt(),
                event.at(),
                historyData(event)));
  }

  private boolean shouldRetry(Current job, JobEvent event) {
    return event.error() != null
        && event.error().retryable()
        && (job.attempt() < job.maxAttempts() || isShutdown(event))
        && JobTransitions.decide(
                job.status(), job.attempt(), Transition.RETRY_SCHEDULED, job.attempt())
            .applies();
  }

  /** A worker stopped by its own shutdown: the attempt is re-run at once and does not count. */
  private static boolean isShutdown(JobEvent event) {
    return event.error() != null && ErrorCodes.WORKER_SHUTDOWN.equals(event.error().code());
  }

  private Uni<Void> scheduleRetry(SqlConnection conn, Current job, JobEvent event) {
    Decision retry =
        JobTransitions.decide(
            job.status(), job.attempt(), Transition.RETRY_SCHEDULED, job.attempt());
    TaskSpec.Retries policy = catalog.find(job.task()).map(e -> e.spec().retries()).orElseThrow();
    boolean uncounted = isShutdown(event);
    Duration delay =
        uncounted
            ? Duration.ZERO
            : Backoff.delayBefore(
                retry.nextAttempt(), policy, () -> ThreadLocalRandom.current().nextDouble());
    Instant runAt = Instant.now().plus(delay);
    LOG.infof(
        "job=%s task=%s attempt=%d failed code=%s; attempt %d of %d at %s",
        job.id(),
        job.task(),
        job.attempt(),
        event.error().code(),
        retry.nextAttempt(),
        job.maxAttempts(),
        runAt);
    String error = Wire.toJson(event.error());
    return store
        .record(
            conn,
            job.id(),
            event.eventId(),
            event.type().wireName(),
            event.attempt(),
            event.at(),
            error)
        .chain(
            () ->
                store.scheduleAttempt(
                    conn, job.id(), retry.next(), retry.nextAttempt(), error, runAt, uncounted))
        .chain(
            () ->
                store.record(
                    conn,
                    job.id(),
                    null,
                    JobStatus.SCHEDULED.wireName(),
                    retry.nextAttempt(),
                    Instant.now(),
                    Wire.toJson(Map.of("runAt", runAt.toString(), "backoffMs", delay.toMillis()))));
  }

  private static Update updateFor(JobStatus next, JobEvent event) {
    Instant now = Instant.now();
    return switch (event.type()) {
      case STARTED -> new Update(next, event.at(), null, event.workerId(), null, null, null, now);
      case PROGRESS ->
          new Update(next, null, null, event.workerId(), json(event.progress()), null, null, now);
      case SUCCEEDED ->
          new Update(
              next,
              null,
              event.at(),
              event.workerId(),
              json(event.progress()),
              json(event.result()),
              null,
              now);
      case FAILED, CANCELED, EXPIRED ->
          new Update(
              next, null, event.at(), event.workerId(), null, null, json(event.error()), now);
    };
  }

  private static String historyData(JobEvent event) {
    if (event.error() != null) {
      return Wire.toJson(event.error());
    }
    return event.workerId() == null ? null : Wire.toJson(Map.of("workerId", event.workerId()));
  }

  private static String json(Object value) {
    return value == null ? null : Wire.toJson(value);
  }

  private void logOutcome(Current job, JobEvent event) {
    switch (event.type()) {
      case STARTED ->
          LOG.debugf(
              "job=%s task=%s attempt=%d started on %s",
              job.id(), job.task(), event.attempt(), event.workerId());
      case SUCCEEDED ->
          LOG.infof("job=%s task=%s attempt=%d succeeded", job.id(), job.task(), event.attempt());
      case FAILED ->
          LOG.infof(
              "job=%s task=%s attempt=%d failed for good code=%s errorId=%s",
              job.id(),
              job.task(),
              event.attempt(),
              event.error() == null ? null : event.error().code(),
              event.error() == null ? null : event.error().errorId());
      case CANCELED ->
          LOG.infof("job=%s task=%s attempt=%d canceled", job.id(), job.task(), event.attempt());
      case EXPIRED ->
          LOG.infof(
              "job=%s task=%s attempt=%d expired before it started",
              job.id(), job.task(), event.attempt());
      case PROGRESS -> {}
    }
  }

  private void count(JobEvent event, String outcome) {
    registry
        .counter("kfm.projection.events", "type", event.type().wireName(), "outcome", outcome)
        .increment();
  }
}
