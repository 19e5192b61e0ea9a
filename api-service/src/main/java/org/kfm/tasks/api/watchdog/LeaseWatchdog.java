package org.kfm.tasks.api.watchdog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.projection.ProjectionStore;
import org.kfm.tasks.contracts.Backoff;
import org.kfm.tasks.contracts.ErrorCodes;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions;
import org.kfm.tasks.contracts.JobTransitions.Decision;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Transition;
import org.kfm.tasks.contracts.Wire;

/**
 * Finds attempts whose worker stopped heartbeating (killed, partitioned) and gives the job its next
 * attempt, or fails it when none is left; and expires waiting jobs whose deadline passed. Late
 * events of a lost attempt are ignored by the attempt guard.
 */
@ApplicationScoped
public class LeaseWatchdog {
  private static final Logger LOG = Logger.getLogger(LeaseWatchdog.class);
  private static final int BATCH = 200;

  private static final String LOST =
      "SELECT id, task, attempt, max_attempts, cancel_requested_at FROM jobs WHERE status = 'running'"
          + " AND COALESCE(last_heartbeat_at, started_at, updated_at) < now() - make_interval(secs => $1::float8)"
          + " LIMIT $2 FOR UPDATE SKIP LOCKED";
  private static final String OVERDUE =
      "SELECT id, status, attempt FROM jobs WHERE status IN ('scheduled', 'queued') AND deadline < now()"
          + " LIMIT $1 FOR UPDATE SKIP LOCKED";

  private final Pool pool;
  private final ProjectionStore store;
  private final TaskCatalog catalog;
  private final Vertx vertx;
  private final WatchdogConfig config;
  private final Counter lost;
  private final Counter expired;
  private final AtomicBoolean running = new AtomicBoolean();

  public LeaseWatchdog(
      Pool pool,
      ProjectionStore store,
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
    return pool.withTransaction(this::reclaimLost)
        .chain(() -> pool.withTransaction(this::expireOverdue));
  }

  private Uni<Void> reclaimLost(SqlConnection conn) {
    return conn.preparedQuery(LOST)
        .execute(Tuple.of(config.lease().toMillis() / 1000.0, BATCH))
        .flatMap(
            rows -> {
              List<Uni<Void>> writes = new ArrayList<>();
              for (Row row : rows) {
                writes.add(reclaim(conn, row));
              }
              return writes.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : Uni.join().all(writes).andFailFast().replaceWithVoid();
            });
  }

  private Uni<Void> reclaim(SqlConnection conn, Row row) {
    UUID id = row.getUUID("id");
    String task = row.getString("task");
    int attempt = row.getInteger("attempt");
    int maxAttempts = row.getInteger("max_attempts");
    lost.increment();
    String error =
        Wire.toJson(
            new JobError(
                ErrorCodes.LOST,
                "no heartbeat for " + config.lease().toSeconds() + "s; the worker is gone",
                true,
                null));
    Instant now = Instant.now();
    Decision retry =
        JobTransitions.decide(JobStatus.RUNNING, attempt, Transition.RETRY_SCHEDULED, attempt);
    Uni<Void> history = store.record(conn, id, null, "lost", attempt, now, error);
    if (row.getOffsetDateTime("cancel_requested_at") != null) {
      // The user asked to cancel it: losing its worker must not turn into a retry.
      LOG.warnf(
          "job=%s task=%s attempt=%d lost after a cancel request; canceled", id, task, attempt);
      return history.chain(
          () ->
              conn.preparedQuery(
                      "UPDATE jobs SET status = 'canceled', error = $2::text::jsonb,"
                          + " finished_at = now(), updated_at = now() WHERE id = $1")
                  .execute(Tuple.of(id, error))
                  .chain(
                      () ->
                          store.record(
                              conn, id, null, JobStatus.CANCELED.wireName(), attempt, now, error)));
    }
    if (attempt < maxAttempts && retry.applies()) {
      var policy = catalog.find(task).map(e -> e.spec().retries()).orElseThrow();
      Duration delay =
          Backoff.delayBefore(
              retry.nextAttempt(), policy, () -> ThreadLocalRandom.current().nextDouble());
      Instant runAt = now.plus(delay);
      LOG.warnf(
          "job=%s task=%s attempt=%d lost; attempt %d at %s",
          id, task, attempt, retry.nextAttempt(), runAt);
      return history
          .chain(
              () ->
                  store.scheduleAttempt(
                      conn, id, retry.next(), retry.nextAttempt(), error, runAt, false))
          .chain(
              () ->
                  store.record(
                      conn,
                      id,
                      null,
                      JobStatus.SCHEDULED.wireName(),
                      retry.nextAttempt(),
                      now,
                      Wire.toJson(java.util.Map.of("runAt", runAt.toString()))));
    }
    LOG.warnf("job=%s task=%s attempt=%d lost and no attempts left", id, task, attempt);
    return history.chain(
        () ->
            conn.preparedQuery(
                    "UPDATE jobs SET status = 'failed', error = $2::text::jsonb, finished_at = now(), updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, error))
                .chain(
                    () ->
                        store.record(
                            conn, id, null, JobStatus.FAILED.wireName(), attempt, now, error)));
  }

  private Uni<Void> expireOverdue(SqlConnection conn) {
    return conn.preparedQuery(OVERDUE)
        .execute(Tuple.of(BATCH))
        .flatMap(
            rows -> {
              List<Uni<Void>> writes = new ArrayList<>();
              for (Row row : rows) {
                UUID id = row.getUUID("id");
                int attempt = row.getInteger("attempt");
                Decision d =
                    JobTransitions.decide(
                        JobStatus.fromWireName(row.getString("status")),
                        attempt,
                        Transition.EXPIRED,
                        attempt);
                if (!d.applies()) {
                  continue;
                }
                expired.increment();
                LOG.infof(
                    "job=%s attempt=%d expired: not started before its deadline", id, attempt);
                String error =
                    Wire.toJson(
                        new JobError(
                            ErrorCodes.EXPIRED, "not started before its deadline", false, null));
                writes.add(
                    conn.preparedQuery(
                            "UPDATE jobs SET status = 'expired', error = $2::text::jsonb, next_dispatch_at = NULL,"
                                + " finished_at = now(), updated_at = now() WHERE id = $1")
                        .execute(Tuple.of(id, error))
                        .chain(
                            () ->
                                store.record(
                                    conn,
                                    id,
                                    null,
                                    JobStatus.EXPIRED.wireName(),
                                    attempt,
                                    Instant.now(),
                                    null)));
              }
              return writes.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : Uni.join().all(writes).andFailFast().replaceWithVoid();
            });
  }
}
