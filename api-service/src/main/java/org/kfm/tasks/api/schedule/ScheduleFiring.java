package org.kfm.tasks.api.schedule;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.dispatch.RequestDispatch;
import org.kfm.tasks.api.job.JobSubmission;
import org.kfm.tasks.api.store.JobInserts;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.api.store.ScheduleRow;
import org.kfm.tasks.api.store.ScheduleStore;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Fires due schedules. Each pass claims due rows with {@code FOR UPDATE SKIP LOCKED} and, in that
 * transaction, inserts the slot's job (the outbox row) and moves the schedule to its first slot
 * after now; so a slot fires once however many replicas run this loop, and the idempotency key
 * {@code schedule:<name>:<slot>} would refuse a second job for it anyway. Slots missed while
 * nothing fired (an outage, a long pause of this loop) collapse into one firing ({@code fire_once})
 * or none ({@code skip}) and are counted as catch-up misses. Committed jobs are then published like
 * a client's submission; the dispatcher loop covers a failed publish. Each firing starts a trace of
 * its own (span {@code schedule <name>}), which its job records as a request's job records the
 * request's: the job's commands, its worker's run and the projection of its events continue it.
 */
@ApplicationScoped
public class ScheduleFiring {
  private static final Logger LOG = Logger.getLogger(ScheduleFiring.class);

  /** Missed slots counted one by one up to this many; a longer outage is reported as at least. */
  private static final int MAX_COUNTED_MISSES = 100_000;

  static final String SPAN_PREFIX = "schedule ";

  /** How often the next-fire-time gauges are refreshed from every schedule, fired or not. */
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(10);

  private final Pool pool;
  private final ScheduleStore store;
  private final JobInserts inserts;
  private final ScheduleJobs jobs;
  private final RequestDispatch dispatch;
  private final ScheduleMetrics metrics;
  private final Vertx vertx;
  private final SchedulesConfig config;
  private final Tracer tracer;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Instant gaugesRefreshed = Instant.EPOCH;

  public ScheduleFiring(
      Pool pool,
      ScheduleStore store,
      JobInserts inserts,
      ScheduleJobs jobs,
      RequestDispatch dispatch,
      ScheduleMetrics metrics,
      Vertx vertx,
      SchedulesConfig config,
      Tracer tracer) {
    this.pool = pool;
    this.store = store;
    this.inserts = inserts;
    this.jobs = jobs;
    this.dispatch = dispatch;
    this.metrics = metrics;
    this.vertx = vertx;
    this.config = config;
    this.tracer = tracer;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.firing()) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts this instance's timer: one pass, then the poll interval, then the next pass. */
  public void start() {
    if (running.compareAndSet(false, true)) {
      next();
    }
  }

  public void stop() {
    running.set(false);
  }

  private void next() {
    if (!running.get()) {
      return;
    }
    vertx.setTimer(
        config.pollInterval().toMillis(),
        id ->
            pass()
                .subscribe()
                .with(
                    fired -> next(),
                    failure -> {
                      if (running.get()) {
                        LOG.warnf("schedule pass failed: %s", failure.toString());
                      }
                      next();
                    }));
  }

  /** What one claimed schedule came to. {@code job} is null when the slot did not fire. */
  private record Outcome(
      ScheduleRow schedule,
      Instant slot,
      Optional<Instant> next,
      NewJob job,
      long catchUpMisses,
      boolean skippedRunning) {}

  /**
   * One pass over the due schedules.
   *
   * @return how many jobs it enqueued
   */
  public Uni<Integer> pass() {
    return pool.withTransaction(
            conn ->
                store
                    .claimDue(conn, config.batchSize())
                    .flatMap(
                        due ->
                            Multi.createFrom()
                                .iterable(due)
                                .onItem()
                                .transformToUniAndConcatenate(s -> fire(conn, s))
                                .collect()
                                .asList()))
        .map(this::report)
        .call(this::refreshGauges);
  }

  /** Edits, pauses and deletes change next slots without a firing; the gauges follow them here. */
  private Uni<Void> refreshGauges() {
    Instant now = Instant.now();
    if (now.isBefore(gaugesRefreshed.plus(GAUGE_REFRESH))) {
      return Uni.createFrom().voidItem();
    }
    gaugesRefreshed = now;
    return store.list().invoke(metrics::nextFireTimes).replaceWithVoid();
  }

  private Uni<Outcome> fire(SqlConnection conn, ScheduleRow s) {
    try {
      return tryFire(conn, s);
    } catch (RuntimeException e) {
      // A schedule that can no longer make a job (its task left the catalogue, its params no
      // longer fit a new schema version) must not stop the others: it is paused, loudly.
      LOG.errorf("schedule=%s cannot fire and is paused: %s", s.name(), e.getMessage());
      return store
          .advance(conn, s.name(), null, null, null)
          .replaceWith(new Outcome(s, s.nextFireAt(), Optional.empty(), null, 0, false));
    }
  }

  private Uni<Outcome> tryFire(SqlConnection conn, ScheduleRow s) {
    Instant now = Instant.now();
    Instant slot = s.nextFireAt();
    CronSlots slots = CronSlots.of(s.cron(), ZoneId.of(s.timeZone()));
    Optional<Instant> next = slots.nextAfter(now);
    long behind = slotsBetween(slots, slot, now);
    boolean running =
        ScheduleRules.SKIP_IF_RUNNING.equals(s.overlap())
            && s.lastJobStatus() != null
            && !JobStatus.fromWireName(s.lastJobStatus()).isTerminal();
    boolean late = behind > 0 && ScheduleRules.SKIP.equals(s.catchUp());
    if (running || late) {
      long missed = late ? behind + 1 : behind;
      return store
          .advance(conn, s.name(), next.orElse(null), null, null)
          .replaceWith(new Outcome(s, slot, next, null, missed, running));
    }
    Span firing = firingSpan(s, slot);
    NewJob job;
    // Handed over, not made current: this loop runs on the event loop's own context, where the
    // tracing context storage keeps no span.
    try {
      job = jobs.forSlot(s, slot, now, firing.getSpanContext());
    } catch (RuntimeException e) {
      firing.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      firing.end();
      throw e;
    }
    firing.setAttribute("kfm.job.id", job.id().toString());
    return inserts
        .insert(conn, job)
        .flatMap(
            inserted ->
                store
                    .advance(conn, s.name(), next.orElse(null), inserted ? job.id() : null, now)
                    .replaceWith(new Outcome(s, slot, next, inserted ? job : null, behind, false)))
        .onTermination()
        .invoke(
            (outcome, failure, cancelled) -> {
              if (failure != null) {
                firing.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
              }
              firing.end();
            });
  }

  /** The root of the trace a slot's job is in: a firing has no request to continue. */
  private Span firingSpan(ScheduleRow s, Instant slot) {
    return tracer
        .spanBuilder(SPAN_PREFIX + s.name())
        .setNoParent()
        .setAttribute("kfm.schedule", s.name())
        .setAttribute("kfm.schedule.slot", slot.toString())
        .setAttribute("kfm.task", s.task())
        .startSpan();
  }

  /** Slots after {@code slot} up to and including {@code now}: those that will not fire. */
  private static long slotsBetween(CronSlots slots, Instant slot, Instant now) {
    long count = 0;
    Optional<Instant> at = slots.nextAfter(slot);
    while (at.isPresent() && !at.get().isAfter(now) && count < MAX_COUNTED_MISSES) {
      count++;
      at = slots.nextAfter(at.get());
    }
    return count;
  }

  /** Counts and logs what committed, then publishes the new jobs. */
  private int report(List<Outcome> outcomes) {
    int fired = 0;
    for (Outcome o : outcomes) {
      String name = o.schedule().name();
      o.next()
          .ifPresentOrElse(
              at -> metrics.nextFire(name, at),
              () -> LOG.warnf("schedule=%s has no slot to come; disabled", name));
      if (o.catchUpMisses() > 0) {
        metrics.missed(name, ScheduleMetrics.CATCH_UP, o.catchUpMisses());
        LOG.infof(
            "schedule=%s caught up: %d missed slot(s) %s",
            name,
            o.catchUpMisses(),
            o.job() != null
                ? "collapsed into the one firing of slot " + o.slot()
                : "from " + o.slot() + " on skipped (catchUp=skip)");
      }
      if (o.skippedRunning()) {
        metrics.missed(name, ScheduleMetrics.SKIPPED_RUNNING, 1);
        LOG.infof(
            "schedule=%s slot=%s skipped: job=%s is still %s",
            name, o.slot(), o.schedule().lastJobId(), o.schedule().lastJobStatus());
      }
      if (o.job() != null) {
        fired++;
        metrics.fired(name);
        LOG.infof(
            "schedule=%s slot=%s fired job=%s task=%s; next %s",
            name, o.slot(), o.job().id(), o.job().task(), o.next().orElse(null));
        dispatch.dispatchAccepted(JobSubmission.asRow(o.job()));
      }
    }
    return fired;
  }
}
