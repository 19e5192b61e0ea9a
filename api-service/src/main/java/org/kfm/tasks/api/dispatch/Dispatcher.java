package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.job.JobRow;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.JobTransitions;
import org.kfm.tasks.contracts.Transition;

/**
 * Publishes jobs from the jobs table (the outbox) to Kafka: a new job right after its commit, and
 * in a loop everything due and not yet published (failed publishes, delayed jobs, retries whose
 * backoff passed). Rows are claimed with FOR UPDATE SKIP LOCKED, so several api replicas share the
 * work, and marked dispatched only after Kafka acknowledged them.
 */
@ApplicationScoped
public class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private static final String CLAIM =
      "SELECT "
          + JobRow.COLUMNS
          + " FROM jobs WHERE next_dispatch_at <= now()"
          + " ORDER BY next_dispatch_at LIMIT $1 FOR UPDATE SKIP LOCKED";
  private static final String MARK_DISPATCHED =
      "UPDATE jobs SET status = 'queued', next_dispatch_at = NULL, dispatched_at = now(),"
          + " updated_at = now() WHERE id = ANY($1)";
  private static final String MARK_EXPIRED =
      "UPDATE jobs SET status = 'expired', next_dispatch_at = NULL, finished_at = now(),"
          + " updated_at = now(), error = '{\"code\":\"EXPIRED\",\"message\":\"not started before its deadline\"}'"
          + " WHERE id = ANY($1)";
  private static final String POSTPONE =
      "UPDATE jobs SET next_dispatch_at = now() + make_interval(secs => $2::float8) WHERE id = ANY($1)";
  private static final String HISTORY =
      "INSERT INTO job_events (job_id, type, attempt, at)"
          + " SELECT u.id, u.type, u.attempt, now() FROM unnest($1::uuid[], $2::text[], $3::int[])"
          + " AS u(id, type, attempt)";

  private final Pool pool;
  private final CommandPublisher publisher;
  private final Vertx vertx;
  private final DispatchConfig config;
  private final PublishesInFlight inFlight;
  private final DispatchMarks marks;
  private final Counter publishedFast;
  private final Counter publishedLoop;
  private final Counter publishFailures;
  private final Counter expired;
  private final Counter leftToRequest;
  private final AtomicBoolean running = new AtomicBoolean();

  public Dispatcher(
      Pool pool,
      CommandPublisher publisher,
      Vertx vertx,
      DispatchConfig config,
      PublishesInFlight inFlight,
      DispatchMarks marks,
      MeterRegistry registry) {
    this.pool = pool;
    this.publisher = publisher;
    this.vertx = vertx;
    this.config = config;
    this.inFlight = inFlight;
    this.marks = marks;
    this.publishedFast = registry.counter("kfm.dispatch.published", "path", "request");
    this.publishedLoop = registry.counter("kfm.dispatch.published", "path", "loop");
    this.publishFailures = registry.counter("kfm.dispatch.publish.failures");
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

  public Duration fastPathGrace() {
    return config.fastPathGrace();
  }

  /** Publishes a just-committed job at once; on failure the loop publishes it after the grace. */
  public void dispatchAccepted(JobRow row) {
    List<UUID> id = List.of(row.id());
    inFlight.addAll(id);
    // Deferred: a failure while building the publish still reaches the handler that forgets the id.
    Uni.createFrom()
        .deferred(() -> publish(row))
        .chain(() -> marks.mark(id))
        .subscribe()
        .with(
            done -> {
              inFlight.removeAll(id);
              publishedFast.increment();
            },
            failure -> {
              inFlight.removeAll(id);
              publishFailures.increment();
              LOG.debugf(
                  "job=%s publish deferred to the dispatcher: %s", row.id(), failure.toString());
            });
  }

  /** Publishes just-committed jobs together and marks the acknowledged ones with one statement. */
  public void dispatchAcceptedAll(List<JobRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    List<UUID> rowIds = rows.stream().map(JobRow::id).toList();
    inFlight.addAll(rowIds);
    List<Uni<UUID>> sends = new ArrayList<>();
    for (JobRow row : rows) {
      sends.add(
          Uni.createFrom()
              .deferred(() -> publish(row))
              .onItemOrFailure()
              .transform((ok, failure) -> failure == null ? row.id() : null));
    }
    Uni.join()
        .all(sends)
        .andFailFast()
        .flatMap(
            acked -> {
              List<UUID> ids = acked.stream().filter(java.util.Objects::nonNull).toList();
              publishedFast.increment(ids.size());
              publishFailures.increment(rows.size() - ids.size());
              return ids.isEmpty() ? Uni.createFrom().voidItem() : marks.mark(ids);
            })
        .subscribe()
        .with(
            done -> inFlight.removeAll(rowIds),
            failure -> {
              inFlight.removeAll(rowIds);
              LOG.debugf("batch publish deferred to the dispatcher: %s", failure.toString());
            });
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
            conn.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize()))
                .flatMap(
                    rows -> {
                      List<JobRow> due = new ArrayList<>();
                      rows.forEach(r -> due.add(JobRow.from(r)));
                      return due.isEmpty()
                          ? Uni.createFrom().item(0)
                          : dispatch(conn, due).replaceWith(due.size());
                    }));
  }

  private Uni<Void> dispatch(SqlConnection conn, List<JobRow> due) {
    Instant now = Instant.now();
    List<JobRow> toExpire = new ArrayList<>();
    List<JobRow> toPublish = new ArrayList<>();
    List<UUID> toDrop = new ArrayList<>();
    List<UUID> toLeave = new ArrayList<>();
    for (JobRow row : due) {
      if (inFlight.contains(row.id())) {
        // Its request is still publishing it: look again after another grace.
        toLeave.add(row.id());
        continue;
      }
      boolean pastDeadline = row.deadline() != null && now.isAfter(row.deadline());
      Transition transition = pastDeadline ? Transition.EXPIRED : Transition.DISPATCHED;
      var decision = JobTransitions.decide(row.status(), row.attempt(), transition, row.attempt());
      if (decision.applies()) {
        (pastDeadline ? toExpire : toPublish).add(row);
      } else {
        // Already moved on (a worker event beat the bookkeeping): nothing to publish.
        LOG.debugf(
            "job=%s status=%s not dispatchable: %s",
            row.id(), row.status().wireName(), decision.reason());
        toDrop.add(row.id());
      }
    }
    List<Uni<Boolean>> sends = new ArrayList<>();
    for (JobRow row : toPublish) {
      sends.add(publish(row).onItemOrFailure().transform((ok, failure) -> failure == null));
    }
    Uni<List<Boolean>> outcomes =
        sends.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(sends).andFailFast();
    return outcomes.flatMap(
        acked -> {
          List<JobRow> published = new ArrayList<>();
          List<UUID> failed = new ArrayList<>();
          for (int i = 0; i < toPublish.size(); i++) {
            if (acked.get(i)) {
              published.add(toPublish.get(i));
            } else {
              failed.add(toPublish.get(i).id());
            }
          }
          publishedLoop.increment(published.size());
          publishFailures.increment(failed.size());
          if (!failed.isEmpty()) {
            LOG.warnf(
                "%d commands could not be published; retrying in %s",
                failed.size(), config.retryDelay());
          }
          expired.increment(toExpire.size());
          leftToRequest.increment(toLeave.size());
          return Uni.combine()
              .all()
              .unis(
                  markDispatched(conn, published),
                  markExpired(conn, toExpire),
                  postpone(conn, failed, config.retryDelay()),
                  postpone(conn, toLeave, config.fastPathGrace()),
                  drop(conn, toDrop))
              .discardItems();
        });
  }

  private Uni<Void> markDispatched(SqlConnection conn, List<JobRow> published) {
    if (published.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // Only a scheduled job changes status here; its history gains a "queued" entry.
    List<JobRow> wereScheduled =
        published.stream().filter(r -> r.status() == JobStatus.SCHEDULED).toList();
    return conn.preparedQuery(MARK_DISPATCHED)
        .execute(Tuple.of(ids(published)))
        .chain(() -> history(conn, wereScheduled, JobStatus.QUEUED));
  }

  private Uni<Void> markExpired(SqlConnection conn, List<JobRow> rows) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    rows.forEach(
        r ->
            LOG.infof(
                "job=%s task=%s attempt=%d expired before it could run",
                r.id(), r.task(), r.attempt()));
    return conn.preparedQuery(MARK_EXPIRED)
        .execute(Tuple.of(ids(rows)))
        .chain(() -> history(conn, rows, JobStatus.EXPIRED));
  }

  private static Uni<Void> postpone(SqlConnection conn, List<UUID> ids, Duration delay) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(POSTPONE)
        .execute(Tuple.of(ids.toArray(UUID[]::new), delay.toMillis() / 1000.0))
        .replaceWithVoid();
  }

  private static Uni<Void> drop(SqlConnection conn, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery("UPDATE jobs SET next_dispatch_at = NULL WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .replaceWithVoid();
  }

  private Uni<Void> history(SqlConnection conn, List<JobRow> rows, JobStatus type) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(HISTORY)
        .execute(
            Tuple.of(
                ids(rows),
                rows.stream().map(r -> type.wireName()).toArray(String[]::new),
                rows.stream().map(JobRow::attempt).toArray(Integer[]::new)))
        .replaceWithVoid();
  }

  private static UUID[] ids(List<JobRow> rows) {
    return rows.stream().map(JobRow::id).toArray(UUID[]::new);
  }

  private Uni<Void> publish(JobRow row) {
    ConcurrencyClass concurrencyClass =
        ConcurrencyClass.fromWireName(row.queue()).orElse(ConcurrencyClass.LATENCY_SENSITIVE);
    return publisher
        .publish(TaskCommands.of(row), concurrencyClass)
        .ifNoItem()
        .after(config.publishTimeout())
        .fail();
  }
}
