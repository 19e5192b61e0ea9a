package org.kfm.tasks.api.watchdog;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.HistoryEntry;
import org.kfm.tasks.api.store.JobState;
import org.kfm.tasks.api.store.JobStates;
import org.kfm.tasks.contracts.AfterAttempt;
import org.kfm.tasks.contracts.AfterAttempt.Next;
import org.kfm.tasks.contracts.JobErrors;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.TaskCatalog;

/**
 * Finds attempts whose worker stopped heartbeating (killed, partitioned) and ends them as lost, and
 * expires waiting jobs whose deadline passed; what follows (a retry, failure or cancel) is the
 * after-attempt rule's, as for an outcome a worker reports. Late events of a lost attempt are
 * ignored by the attempt guard.
 */
@ApplicationScoped
public class LeaseWatchdog {
  private static final Logger LOG = Logger.getLogger(LeaseWatchdog.class);
  private static final int BATCH = 200;

  private final Pool pool;
  private final JobStates store;
  private final TaskCatalog catalog;
  private final Vertx vertx;
  private final WatchdogConfig config;
  private final Counter lost;
  private final Counter expired;
  private final AtomicBoolean running = new AtomicBoolean();

  public LeaseWatchdog(
      Pool pool,
      JobStates store,
      TaskCatalog catalog,
      Vertx vertx,
      WatchdogConfig config,
      MeterRegistry registry) {
    this.pool = pool;
    this.store = store;
    this.catalog = catalog;
    this.vertx = vertx;
    this.config = config;
    this.lost = registry.counter("kfm.watchdog.lost.attempts");
    this.expired = registry.counter("kfm.watchdog.expired");
  }

  void start(@Observes StartupEvent event) {
    running.set(true);
    schedule();
  }

  void stop(@Observes ShutdownEvent event) {
    running.set(false);
  }

  private void schedule() {
    if (!running.get()) {
      return;
    }
    vertx.setTimer(
        config.interval().toMillis(),
        id ->
            pass()
                .subscribe()
                .with(
                    done -> schedule(),
                    failure -> {
                      if (running.get()) { // a pass cut short by shutdown is no news
                        LOG.warnf("watchdog pass failed: %s", failure.toString());
                      }
                      schedule();
                    }));
  }

  /** One pass over lost attempts and overdue jobs. */
  public Uni<Void> pass() {
    return pool.withTransaction(
            conn ->
                store
                    .lockLost(conn, config.lease(), BATCH)
                    .flatMap(jobs -> settle(conn, jobs.values(), this::reclaim)))
        .chain(
            () ->
                pool.withTransaction(
                    conn ->
                        store
                            .lockOverdue(conn, BATCH)
                            .flatMap(jobs -> settle(conn, jobs.values(), this::expire))));
  }

  private Uni<Void> settle(
      SqlConnection conn,
      Collection<JobState> jobs,
      BiConsumer<JobState, List<HistoryEntry>> rule) {
    List<HistoryEntry> history = new ArrayList<>();
    jobs.forEach(job -> rule.accept(job, history));
    return store.save(conn, jobs, history);
  }

  /** A running attempt whose worker went silent ends as lost: retried, failed or canceled. */
  private void reclaim(JobState job, List<HistoryEntry> history) {
    Instant now = Instant.now();
    JobError error = JobErrors.lost(config.lease());
    AfterAttempt.End end = AfterAttempt.End.lost(job.attempt(), now, error);
    Next next = decide(job, end, now);
    if (!next.applies()) {
      return;
    }
    lost.increment();
    switch (next.kind()) {
      case RETRY ->
          LOG.warnf(
              "job=%s task=%s attempt=%d lost errorId=%s; attempt %d at %s",
              job.id(), job.task(), job.attempt(), error.errorId(), next.attempt(), next.runAt());
      default ->
          LOG.warnf(
              "job=%s task=%s attempt=%d lost errorId=%s; %s",
              job.id(), job.task(), job.attempt(), error.errorId(), next.status().wireName());
    }
    history.addAll(job.conclude(next, end, null));
  }

  /** A job still waiting to run whose deadline passed. */
  private void expire(JobState job, List<HistoryEntry> history) {
    Instant now = Instant.now();
    AfterAttempt.End end = AfterAttempt.End.expired(job.attempt(), now);
    Next next = decide(job, end, now);
    if (!next.applies()) {
      return;
    }
    expired.increment();
    LOG.infof(
        "job=%s attempt=%d expired: not started before its deadline", job.id(), job.attempt());
    history.addAll(job.conclude(next, end, null));
  }

  private Next decide(JobState job, AfterAttempt.End end, Instant now) {
    return AfterAttempt.decide(
        job.forRule(),
        end,
        catalog.retriesOf(job.task()),
        now,
        () -> ThreadLocalRandom.current().nextDouble());
  }
}
