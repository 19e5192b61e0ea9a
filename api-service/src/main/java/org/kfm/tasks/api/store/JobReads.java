package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kfm.tasks.contracts.Wire;

/** Reads of jobs and their history; visibility is the caller's to apply. */
@ApplicationScoped
public class JobReads {
  private final Pool pool;

  public JobReads(Pool pool) {
    this.pool = pool;
  }

  public Uni<Optional<JobRow>> findById(UUID id) {
    return pool.preparedQuery("SELECT " + JobRow.COLUMNS + " FROM jobs WHERE id = $1")
        .execute(Tuple.of(id))
        .map(JobReads::first);
  }

  public Uni<Optional<JobRow>> findByKey(String owner, String task, String idempotencyKey) {
    return pool.preparedQuery(
            "SELECT "
                + JobRow.COLUMNS
                + " FROM jobs WHERE owner = $1 AND task = $2 AND idempotency_key = $3")
        .execute(Tuple.of(owner, task, idempotencyKey))
        .map(JobReads::first);
  }

  public Uni<List<JobRow>> list(JobFilter filter) {
    StringBuilder sql =
        new StringBuilder("SELECT " + JobRow.SUMMARY_COLUMNS + " FROM jobs WHERE true");
    List<Object> args = new ArrayList<>();
    if (filter.owner() != null) {
      args.add(filter.owner());
      sql.append(" AND owner = $").append(args.size());
    }
    if (filter.status() != null) {
      args.add(filter.status().wireName());
      sql.append(" AND status = $").append(args.size());
    }
    if (filter.task() != null) {
      args.add(filter.task());
      sql.append(" AND task = $").append(args.size());
    }
    if (filter.createdAfter() != null) {
      args.add(utc(filter.createdAfter()));
      sql.append(" AND created_at >= $").append(args.size());
    }
    if (filter.createdBefore() != null) {
      args.add(utc(filter.createdBefore()));
      sql.append(" AND created_at < $").append(args.size());
    }
    if (filter.cursorId() != null) {
      args.add(utc(filter.cursorCreatedAt()));
      args.add(filter.cursorId());
      sql.append(" AND (created_at, id) < ($")
          .append(args.size() - 1)
          .append(", $")
          .append(args.size())
          .append(")");
    }
    args.add(filter.limit());
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT $").append(args.size());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              List<JobRow> jobs = new ArrayList<>();
              rows.forEach(row -> jobs.add(JobRow.from(row)));
              return jobs;
            });
  }

  public Uni<List<StoredEvent>> events(UUID jobId) {
    return pool.preparedQuery(
            "SELECT type, attempt, at, data::text AS data FROM job_events WHERE job_id = $1 ORDER BY id")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              List<StoredEvent> events = new ArrayList<>();
              for (Row row : rows) {
                String data = row.getString("data");
                events.add(
                    new StoredEvent(
                        row.getString("type"),
                        row.getInteger("attempt"),
                        row.getOffsetDateTime("at").toInstant(),
                        data == null ? null : Wire.fromJson(data, JsonNode.class)));
              }
              return events;
            });
  }

  private static Optional<JobRow> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(JobRow.from(it.next())) : Optional.empty();
  }
}
