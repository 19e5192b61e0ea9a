package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every statement on {@code job_artifacts}: the projector records a batch's artifacts with one
 * statement in its transaction; downloads and job views read them.
 */
@ApplicationScoped
public class JobArtifacts {
  private static final String COLUMNS =
      "job_id, name, content_type, size, sha256, storage_key, attempt, created_at";

  // A re-run overwrites its files under the same keys, so the row follows the newest write.
  private static final String UPSERT =
      "INSERT INTO job_artifacts (job_id, name, content_type, size, sha256, storage_key, attempt)"
          + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int8[], $5::text[],"
          + " $6::text[], $7::int[])"
          + " ON CONFLICT (job_id, name) DO UPDATE SET content_type = EXCLUDED.content_type,"
          + " size = EXCLUDED.size, sha256 = EXCLUDED.sha256, storage_key = EXCLUDED.storage_key,"
          + " attempt = EXCLUDED.attempt, created_at = now()";
  private static final String LIST =
      "SELECT " + COLUMNS + " FROM job_artifacts WHERE job_id = $1 ORDER BY name";
  private static final String FIND =
      "SELECT " + COLUMNS + " FROM job_artifacts WHERE job_id = $1 AND name = $2";

  private final Pool pool;

  public JobArtifacts(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records artifacts in the caller's transaction, one statement for all of them. A (job, name)
   * pair must appear once: the statement cannot update a row twice.
   */
  public Uni<Void> upsert(SqlConnection conn, List<ArtifactRow> rows) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Tuple values =
        Tuple.from(
            Arrays.asList(
                rows.stream().map(ArtifactRow::jobId).toArray(UUID[]::new),
                rows.stream().map(ArtifactRow::name).toArray(String[]::new),
                rows.stream().map(ArtifactRow::contentType).toArray(String[]::new),
                rows.stream().map(ArtifactRow::size).toArray(Long[]::new),
                rows.stream().map(ArtifactRow::sha256).toArray(String[]::new),
                rows.stream().map(ArtifactRow::storageKey).toArray(String[]::new),
                rows.stream().map(ArtifactRow::attempt).toArray(Integer[]::new)));
    return conn.preparedQuery(UPSERT).execute(values).replaceWithVoid();
  }

  /** A job's artifacts by name. */
  public Uni<List<ArtifactRow>> list(UUID jobId) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              List<ArtifactRow> found = new ArrayList<>();
              rows.forEach(r -> found.add(from(r)));
              return found;
            });
  }

  public Uni<Optional<ArtifactRow>> find(UUID jobId, String name) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(jobId, name))
        .map(
            rows -> {
              var it = rows.iterator();
              return it.hasNext() ? Optional.of(from(it.next())) : Optional.empty();
            });
  }

  private static ArtifactRow from(Row r) {
    return new ArtifactRow(
        r.getUUID("job_id"),
        r.getString("name"),
        r.getString("content_type"),
        r.getLong("size"),
        r.getString("sha256"),
        r.getString("storage_key"),
        r.getInteger("attempt"),
        instant(r.getOffsetDateTime("created_at")));
  }
}
