package org.kfm.tasks.worker.tasks.ml;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes predictions with one multi-row {@code INSERT ... ON CONFLICT DO UPDATE} per {@value
 * #ROWS_PER_STATEMENT} runs, in the session's transaction (the job's output transaction). An entity
 * merge per row was measured at about 4 ms a row (a SELECT, then an INSERT or UPDATE, each a round
 * trip): 5,000 predictions took 19 s and their re-run overran the 30 s commit bound.
 *
 * @param values the model and job values every row shares
 */
record PredictionUpsert(Shared values, List<Prediction> rows) {
  static final int ROWS_PER_STATEMENT = 1000;

  /** What every prediction of one job shares. */
  record Shared(
      String owner,
      String modelName,
      int modelVersion,
      String target,
      UUID jobId,
      String lineageJson,
      Instant predictedAt) {}

  /** One scored run. */
  record Prediction(UUID runJobId, double predicted, double actual) {}

  private static final int SHARED_PARAMETERS = 7;
  private static final int ROW_PARAMETERS = 3;

  Uni<Void> run(Mutiny.Session session) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      List<Prediction> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
      chain = chain.chain(() -> statement(session, chunk).executeUpdate().replaceWithVoid());
    }
    return chain;
  }

  private Mutiny.Query<Object> statement(Mutiny.Session session, List<Prediction> chunk) {
    Mutiny.Query<Object> query = session.createNativeQuery(sql(chunk.size()));
    query.setParameter(1, values.owner());
    query.setParameter(2, values.modelName());
    query.setParameter(3, values.modelVersion());
    query.setParameter(4, values.target());
    query.setParameter(5, values.jobId());
    query.setParameter(6, values.lineageJson());
    query.setParameter(7, OffsetDateTime.ofInstant(values.predictedAt(), ZoneOffset.UTC));
    for (int i = 0; i < chunk.size(); i++) {
      int first = SHARED_PARAMETERS + i * ROW_PARAMETERS + 1;
      query.setParameter(first, chunk.get(i).runJobId());
      query.setParameter(first + 1, chunk.get(i).predicted());
      query.setParameter(first + 2, chunk.get(i).actual());
    }
    return query;
  }

  /** The statement for {@code rows} rows: the shared values are parameters 1 to 7, then 3 a row. */
  static String sql(int rows) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO worker.ml_predictions (owner, model_name, model_version, run_job_id,"
                + " target, predicted, actual, job_id, lineage, predicted_at) VALUES ");
    for (int i = 0; i < rows; i++) {
      int first = SHARED_PARAMETERS + i * ROW_PARAMETERS + 1;
      sql.append(i == 0 ? "" : ", ")
          .append("(?1, ?2, ?3, ?")
          .append(first)
          .append(", ?4, ?")
          .append(first + 1)
          .append(", ?")
          .append(first + 2)
          // Through text: a parameter typed jsonb would take the string as a JSON string.
          .append(", ?5, CAST(CAST(?6 AS text) AS jsonb), ?7)");
    }
    return sql.append(
            " ON CONFLICT (owner, model_name, model_version, run_job_id) DO UPDATE SET"
                + " target = EXCLUDED.target, predicted = EXCLUDED.predicted,"
                + " actual = EXCLUDED.actual, job_id = EXCLUDED.job_id,"
                + " lineage = EXCLUDED.lineage, predicted_at = EXCLUDED.predicted_at")
        .toString();
  }
}
