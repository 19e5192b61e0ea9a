package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.contracts.Wire;

/**
 * Inserts of new jobs with their first history entry: the outbox rows a submission commits before
 * its commands are published.
 */
@ApplicationScoped
public class JobInserts {
  // One statement, so one round trip and atomic without a transaction of its own: the history
  // entry is written exactly when the job is.
  private static final String INSERT =
      "WITH inserted AS (INSERT INTO jobs (id, task, task_version, status, params, owner,"
          + " idempotency_key, params_hash, queue, attempt, max_attempts, run_at, deadline,"
          + " next_dispatch_at, created_at, updated_at, trace_id, lineage)"
          + " VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14,"
          + " $14, $15, $17::text::jsonb)"
          + " ON CONFLICT DO NOTHING RETURNING id, status, created_at),"
          + " history AS (INSERT INTO job_events (job_id, type, attempt, at, data)"
          + " SELECT id, status, 1, created_at, $16::text::jsonb FROM inserted)"
          + " SELECT id FROM inserted";

  private final Pool pool;

  public JobInserts(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts the job and its first history entry with one statement.
   *
   * @return false when a job with the same owner, task and idempotency key already exists
   */
  public Uni<Boolean> insert(NewJob job) {
    return insert(pool, job);
  }

  /**
   * Inserts the job and its first history entry on {@code client}: a connection when the insert
   * belongs to a larger transaction (a schedule's firing, which also moves the schedule on).
   *
   * @return false when a job with the same owner, task and idempotency key already exists
   */
  public Uni<Boolean> insert(SqlClient client, NewJob job) {
    Tuple values =
        Tuple.from(
            Arrays.asList(
                job.id(),
                job.task(),
                job.taskVersion(),
                job.status().wireName(),
                Wire.toJson(job.params()),
                job.owner(),
                job.idempotencyKey(),
                job.paramsHash(),
                job.queue(),
                job.maxAttempts(),
                utc(job.runAt()),
                utc(job.deadline()),
                utc(job.nextDispatchAt()),
                utc(job.createdAt()),
                job.traceId(),
                firstEntryData(job),
                lineageJson(job)));
    return client.preparedQuery(INSERT).execute(values).map(rows -> rows.size() > 0);
  }

  /** When the job runs, and what made it when a trigger did (an event, a schedule). */
  static String firstEntryData(NewJob job) {
    java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("runAt", job.runAt().toString());
    if (job.lineage() != null && job.lineage().has("trigger")) {
      data.put("trigger", job.lineage().get("trigger"));
    }
    if (job.lineage() != null && job.lineage().hasNonNull("schedule")) {
      data.put("schedule", job.lineage().path("schedule").asText());
      if (job.lineage().hasNonNull("slot")) {
        data.put("slot", job.lineage().path("slot").asText());
      }
    }
    return Wire.toJson(data);
  }

  /** What a batch insert did: the ids it inserted, and the existing rows of conflicting keys. */
  public record BatchInsert(List<UUID> inserted, java.util.Map<String, JobRow> existing) {}

  private static final String INSERT_ALL =
      "WITH input AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[],"
          + " $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::timestamptz[],"
          + " $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[])"
          + " AS u(id, task, task_version, status, params, owner, idempotency_key, params_hash, queue,"
          + " max_attempts, run_at, deadline, next_dispatch_at, created_at, trace_id, lineage)),"
          + " inserted AS (INSERT INTO jobs (id, task, task_version, status, params, owner,"
          + " idempotency_key, params_hash, queue, attempt, max_attempts, run_at, deadline,"
          + " next_dispatch_at, created_at, updated_at, trace_id, lineage)"
          + " SELECT id, task, task_version, status, params::jsonb, owner, idempotency_key, params_hash,"
          + " queue, 1, max_attempts, run_at, deadline, next_dispatch_at, created_at, created_at, trace_id,"
          + " lineage::jsonb"
          + " FROM input ON CONFLICT ON CONSTRAINT jobs_idempotency DO NOTHING"
          + " RETURNING id, status, created_at),"
          + " history AS (INSERT INTO job_events (job_id, type, attempt, at)"
          + " SELECT id, status, 1, created_at FROM inserted)"
          + " SELECT id FROM inserted";

  /** Inserts many jobs and their first history entries with one statement, in one transaction. */
  public Uni<BatchInsert> insertAll(List<NewJob> jobs) {
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
                jobs.stream().map(JobInserts::lineageJson).toArray(String[]::new)));
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(INSERT_ALL)
                .execute(values)
                .flatMap(
                    rows -> {
                      List<UUID> inserted = new ArrayList<>();
                      rows.forEach(r -> inserted.add(r.getUUID("id")));
                      java.util.Set<UUID> fresh = java.util.Set.copyOf(inserted);
                      List<NewJob> conflicting =
                          jobs.stream().filter(j -> !fresh.contains(j.id())).toList();
                      if (conflicting.isEmpty()) {
                        return Uni.createFrom().item(new BatchInsert(inserted, java.util.Map.of()));
                      }
                      return conn.preparedQuery(
                              "SELECT "
                                  + JobRow.COLUMNS
                                  + " FROM jobs WHERE owner = $1"
                                  + " AND idempotency_key = ANY($2)")
                          .execute(
                              Tuple.of(
                                  conflicting.get(0).owner(),
                                  conflicting.stream()
                                      .map(NewJob::idempotencyKey)
                                      .toArray(String[]::new)))
                          .map(
                              existing -> {
                                java.util.Map<String, JobRow> byKey = new java.util.HashMap<>();
                                existing.forEach(
                                    r -> {
                                      JobRow row = JobRow.from(r);
                                      byKey.put(row.idempotencyKey() + "\u001f" + row.task(), row);
                                    });
                                return new BatchInsert(inserted, byKey);
                              });
                    }));
  }

  /**
   * The first history entry says when the job runs and, for a job a schedule fired, which schedule
   * and slot: so a job's history alone tells where it came from.
   */
  static String lineageJson(NewJob job) {
    return job.lineage() == null ? null : Wire.toJson(job.lineage());
  }
}
