package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kfm.tasks.contracts.Wire;

/**
 * Group commit for single submissions: one insert statement at a time, each taking every job that
 * arrived while the previous one ran. A lone request is inserted at once with the statement {@link
 * JobInserts#insert} runs; under concurrent requests a durable commit serves many jobs instead of
 * one each, which is what bounds one-job-per-request throughput on a database that flushes its WAL
 * at every commit. Every job's outcome is its own: inserted, or found to exist already.
 *
 * <p>No bound of its own is needed: each waiting job is a request the admission gate let in, so at
 * most {@code kfm.admission.max-in-flight} wait here.
 */
@ApplicationScoped
public class GroupedInserts {
  // The same rows as JobInserts' single insert, for many jobs in one statement. Any conflict skips
  // its row (an idempotency key seen before, or an event's job made before), as the single insert.
  private static final String INSERT_MANY =
      "WITH input AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[],"
          + " $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::timestamptz[],"
          + " $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[],"
          + " $17::text[])"
          + " AS u(id, task, task_version, status, params, owner, idempotency_key, params_hash, queue,"
          + " max_attempts, run_at, deadline, next_dispatch_at, created_at, trace_id, first_entry,"
          + " lineage)),"
          + " inserted AS (INSERT INTO jobs (id, task, task_version, status, params, owner,"
          + " idempotency_key, params_hash, queue, attempt, max_attempts, run_at, deadline,"
          + " next_dispatch_at, created_at, updated_at, trace_id, lineage)"
          + " SELECT id, task, task_version, status, params::jsonb, owner, idempotency_key, params_hash,"
          + " queue, 1, max_attempts, run_at, deadline, next_dispatch_at, created_at, created_at, trace_id,"
          + " lineage::jsonb"
          + " FROM input ON CONFLICT DO NOTHING RETURNING id, status, created_at),"
          + " history AS (INSERT INTO job_events (job_id, type, attempt, at, data)"
          + " SELECT inserted.id, inserted.status, 1, inserted.created_at, input.first_entry::jsonb"
          + " FROM inserted JOIN input ON input.id = inserted.id)"
          + " SELECT id FROM inserted";
  // A statement that hangs (a database that stopped answering) must not hold every later request.
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private record Pending(NewJob job, Context context, CompletableFuture<Boolean> done) {}

  private final Pool pool;
  private final JobInserts single;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final DistributionSummary groupSize;

  public GroupedInserts(Pool pool, JobInserts single, MeterRegistry registry) {
    this.pool = pool;
    this.single = single;
    this.groupSize =
        DistributionSummary.builder("kfm.submit.group.jobs")
            .description("single submissions committed per insert statement")
            .register(registry);
  }

  /**
   * Inserts the job and its first history entry, with whatever other single submissions wait.
   *
   * @return false when a job with the same owner, task and idempotency key (or the same id) already
   *     exists
   */
  public Uni<Boolean> insert(NewJob job) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(new Pending(job, Vertx.currentContext(), done));
    runIfIdle();
    return Uni.createFrom().completionStage(done);
  }

  private void runIfIdle() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    List<Pending> taken = takeGroup();
    if (taken.isEmpty()) {
      running.set(false);
      // Something may have been queued after the poll and before the flag was cleared.
      if (!queue.isEmpty()) {
        runIfIdle();
      }
      return;
    }
    groupSize.record(taken.size());
    // Deferred, so that even a failure while building the statement settles what was taken and
    // clears the flag; otherwise every later submission would wait forever.
    Uni.createFrom()
        .deferred(() -> taken.size() == 1 ? insertOne(taken.get(0)) : insertAll(taken))
        .ifNoItem()
        .after(STATEMENT_TIMEOUT)
        .fail()
        .subscribe()
        .with(inserted -> settle(taken, inserted, null), failure -> settle(taken, null, failure));
  }

  /**
   * Everything waiting, except a second job with an id already in the group: both would be skipped
   * or inserted as one row, and only the first may say it was inserted. It waits for the next
   * group.
   */
  private List<Pending> takeGroup() {
    List<Pending> taken = new ArrayList<>();
    List<Pending> later = new ArrayList<>();
    Set<UUID> ids = new HashSet<>();
    Pending next;
    while ((next = queue.poll()) != null) {
      (ids.add(next.job().id()) ? taken : later).add(next);
    }
    queue.addAll(later);
    return taken;
  }

  private Uni<Set<UUID>> insertOne(Pending pending) {
    return single
        .insert(pending.job())
        .map(inserted -> inserted ? Set.of(pending.job().id()) : Set.of());
  }

  private Uni<Set<UUID>> insertAll(List<Pending> taken) {
    List<NewJob> jobs = taken.stream().map(Pending::job).toList();
    Tuple values =
        Tuple.from(
            Arrays.asList(
                jobs.stream().map(NewJob::id).toArray(UUID[]::new),
                jobs.stream().map(NewJob::task).toArray(String[]::new),
                jobs.stream().map(NewJob::taskVersion).toArray(Integer[]::new),
                jobs.stream().map(j -> j.status().wireName()).toArray(String[]::new),
                jobs.stream().map(j -> Wire.toJson(j.params())).toArray(String[]::new),
                jobs.stream().map(NewJob::owner).toArray(String[]::new),
                jobs.stream().map(NewJob::idempotencyKey).toArray(String[]::new),
                jobs.stream().map(NewJob::paramsHash).toArray(String[]::new),
                jobs.stream().map(NewJob::queue).toArray(String[]::new),
                jobs.stream().map(NewJob::maxAttempts).toArray(Integer[]::new),
                jobs.stream().map(j -> utc(j.runAt())).toArray(OffsetDateTime[]::new),
                jobs.stream().map(j -> utc(j.deadline())).toArray(OffsetDateTime[]::new),
                jobs.stream().map(j -> utc(j.nextDispatchAt())).toArray(OffsetDateTime[]::new),
                jobs.stream().map(j -> utc(j.createdAt())).toArray(OffsetDateTime[]::new),
                jobs.stream().map(NewJob::traceId).toArray(String[]::new),
                jobs.stream().map(JobInserts::firstEntryData).toArray(String[]::new),
                jobs.stream().map(JobInserts::lineageJson).toArray(String[]::new)));
    return pool.preparedQuery(INSERT_MANY)
        .execute(values)
        .map(
            rows -> {
              Set<UUID> inserted = new HashSet<>();
              rows.forEach(r -> inserted.add(r.getUUID("id")));
              return inserted;
            });
  }

  private void settle(List<Pending> taken, Set<UUID> inserted, Throwable failure) {
    for (Pending pending : taken) {
      // Each request resumes on its own context, not on the one the statement completed on.
      Runnable complete =
          failure == null
              ? () -> pending.done().complete(inserted.contains(pending.job().id()))
              : () -> pending.done().completeExceptionally(failure);
      if (pending.context() == null) {
        complete.run();
      } else {
        pending.context().runOnContext(ignored -> complete.run());
      }
    }
    running.set(false);
    if (!queue.isEmpty()) {
      runIfIdle();
    }
  }
}
