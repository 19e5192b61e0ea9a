package org.kfm.tasks.api.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
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
 * Applies worker status events to their jobs through the transition table. A batch of events is one
 * transaction: its jobs' rows are locked, the events applied in delivery order in memory, and the
 * resulting rows and history written with one statement each. A retryable failure with attempts
 * left becomes a scheduled retry.
 */
@ApplicationScoped
public class EventApplier {
  private static final Logger LOG = Logger.getLogger(EventApplier.class);

  private final Pool pool;
  private final BatchStore store;
  private final TaskCatalog catalog;
  private final MeterRegistry registry;
  private final Timer lag;

  public EventApplier(Pool pool, BatchStore store, TaskCatalog catalog, MeterRegistry registry) {
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

  public Uni<Void> apply(List<JobEvent> events) {
    Set<UUID> ids = new LinkedHashSet<>();
    events.forEach(e -> ids.add(e.jobId()));
    return pool.withTransaction(
            conn -> store.lock(conn, ids).flatMap(states -> apply(conn, states, events)))
        .invoke(
            () -> {
              Instant now = Instant.now();
              events.forEach(e -> lag.record(Duration.between(e.at(), now)));
            });
  }

  private Uni<Void> apply(SqlConnection conn, Map<UUID, JobState> states, List<JobEvent> events) {
    List<HistoryEntry> history = new ArrayList<>();
    for (JobEvent event : events) {
      JobState job = states.get(event.jobId());
      if (job == null) {
        LOG.warnf("job=%s event for an unknown job ignored", event.jobId());
        count(event, "unknown-job");
        continue;
      }
      apply(job, event, history);
    }
    List<JobState> changed = states.values().stream().filter(s -> s.changed).toList();
    return store.write(conn, changed).chain(() -> store.append(conn, history));
  }

  private void apply(JobState job, JobEvent event, List<HistoryEntry> history) {
    event = cancelInstead(job, event);
    Decision decision =
        JobTransitions.decide(job.status, job.attempt, event.type().transition(), event.attempt());
    if (!decision.applies()) {
      LOG.debugf(
          "job=%s attempt=%d %s ignored: %s",
          job.id, event.attempt(), event.type().wireName(), decision.reason());
      count(event, "ignored");
      return;
    }
    count(event, "applied");
    noteStart(job, event, history);
    if (event.type() == JobEventType.FAILED && shouldRetry(job, event)) {
      scheduleRetry(job, event, history);
      return;
    }
    logOutcome(job, event);
    Instant now = Instant.now();
    switch (event.type()) {
      case STARTED -> job.startedAt = startOf(event);
      case PROGRESS -> job.progress = json(event.progress(), job.progress);
      case SUCCEEDED -> {
        job.finishedAt = event.at();
        job.progress = json(event.progress(), job.progress);
        job.result = json(event.result(), job.result);
      }
      case FAILED, CANCELED, EXPIRED -> {
        job.finishedAt = event.at();
        job.error = json(event.error(), job.error);
      }
    }
    job.workerId = event.workerId() != null ? event.workerId() : job.workerId;
    job.heartbeatAt = now;
    job.status = decision.next();
    // A worker event proves the attempt was published: nothing is left to dispatch.
    job.nextDispatchAt = null;
    job.changed = true;
    if (event.type() != JobEventType.PROGRESS) {
      history.add(
          new HistoryEntry(
              job.id,
              event.eventId(),
              event.type().wireName(),
              event.attempt(),
              event.type() == JobEventType.STARTED ? startOf(event) : event.at(),
              historyData(event)));
    }
  }

  /**
   * A user asked to cancel this job and its attempt then failed (it timed out, its worker shut down
   * or it threw before the stop reached it): the job ends canceled rather than being retried, so a
   * cancel is never lost to a retry. The failure stays in the job's error.
   */
  private static JobEvent cancelInstead(JobState job, JobEvent event) {
    if (event.type() != JobEventType.FAILED || job.cancelRequestedAt == null) {
      return event;
    }
    return new JobEvent(
        event.schemaVersion(),
        event.eventId(),
        event.jobId(),
        event.attempt(),
        JobEventType.CANCELED,
        event.at(),
        event.workerId(),
        event.progress(),
        null,
        event.error(),
        event.startedAt());
  }

  /**
   * An outcome of an attempt that reported no start of its own (workers fold the start of a short
   * attempt into its outcome, and a start report may be lost) still records when it started.
   */
  private static void noteStart(JobState job, JobEvent event, List<HistoryEntry> history) {
    // A start report records itself; only an outcome stands in for a missing one.
    if (!event.type().isFinal() || event.startedAt() == null || job.startedAt != null) {
      return;
    }
    job.startedAt = event.startedAt();
    job.changed = true;
    history.add(
        new HistoryEntry(
            job.id,
            null,
            JobEventType.STARTED.wireName(),
            event.attempt(),
            event.startedAt(),
            event.workerId() == null ? null : Wire.toJson(Map.of("workerId", event.workerId()))));
  }

  private boolean shouldRetry(JobState job, JobEvent event) {
    return event.error() != null
        && event.error().retryable()
        && (job.attempt < job.maxAttempts || isShutdown(event))
        && JobTransitions.decide(job.status, job.attempt, Transition.RETRY_SCHEDULED, job.attempt)
            .applies();
  }

  /** A worker stopped by its own shutdown: the attempt is re-run at once and does not count. */
  private static boolean isShutdown(JobEvent event) {
    return event.error() != null && ErrorCodes.WORKER_SHUTDOWN.equals(event.error().code());
  }

  private void scheduleRetry(JobState job, JobEvent event, List<HistoryEntry> history) {
    Decision retry =
        JobTransitions.decide(job.status, job.attempt, Transition.RETRY_SCHEDULED, job.attempt);
    TaskSpec.Retries policy = catalog.find(job.task).map(e -> e.spec().retries()).orElseThrow();
    boolean uncounted = isShutdown(event);
    Duration delay =
        uncounted
            ? Duration.ZERO
            : Backoff.delayBefore(
                retry.nextAttempt(), policy, () -> ThreadLocalRandom.current().nextDouble());
    Instant runAt = Instant.now().plus(delay);
    LOG.infof(
        "job=%s task=%s attempt=%d failed code=%s; attempt %d of %d at %s",
        job.id,
        job.task,
        job.attempt,
        event.error().code(),
        retry.nextAttempt(),
        job.maxAttempts + (uncounted ? 1 : 0),
        runAt);
    String error = Wire.toJson(event.error());
    history.add(
        new HistoryEntry(
            job.id, event.eventId(), event.type().wireName(), event.attempt(), event.at(), error));
    job.beginAttempt(retry.next(), retry.nextAttempt(), uncounted, error, runAt);
    history.add(
        new HistoryEntry(
            job.id,
            null,
            JobStatus.SCHEDULED.wireName(),
            retry.nextAttempt(),
            Instant.now(),
            Wire.toJson(Map.of("runAt", runAt.toString(), "backoffMs", delay.toMillis()))));
  }

  /**
   * A start report may be sent a little after the start it reports; older workers send no
   * startedAt.
   */
  private static Instant startOf(JobEvent event) {
    return event.startedAt() != null ? event.startedAt() : event.at();
  }

  private static String historyData(JobEvent event) {
    if (event.error() != null) {
      return Wire.toJson(event.error());
    }
    return event.workerId() == null ? null : Wire.toJson(Map.of("workerId", event.workerId()));
  }

  private static String json(Object value, String otherwise) {
    return value == null ? otherwise : Wire.toJson(value);
  }

  private void logOutcome(JobState job, JobEvent event) {
    switch (event.type()) {
      case SUCCEEDED ->
          LOG.debugf("job=%s task=%s attempt=%d succeeded", job.id, job.task, event.attempt());
      case FAILED ->
          LOG.infof(
              "job=%s task=%s attempt=%d failed for good code=%s errorId=%s",
              job.id,
              job.task,
              event.attempt(),
              event.error() == null ? null : event.error().code(),
              event.error() == null ? null : event.error().errorId());
      case CANCELED ->
          LOG.infof("job=%s task=%s attempt=%d canceled", job.id, job.task, event.attempt());
      case EXPIRED ->
          LOG.infof(
              "job=%s task=%s attempt=%d expired before it started",
              job.id, job.task, event.attempt());
      case STARTED, PROGRESS -> {}
    }
  }

  private void count(JobEvent event, String outcome) {
    registry
        .counter("kfm.projection.events", "type", event.type().wireName(), "outcome", outcome)
        .increment();
  }
}
