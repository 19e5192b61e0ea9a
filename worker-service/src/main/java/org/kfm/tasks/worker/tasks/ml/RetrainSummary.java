package org.kfm.tasks.worker.tasks.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kfm.tasks.contracts.Wire;

/**
 * What a retrain did, as the job's result, the {@code metrics.json} artifact and (its {@code
 * metrics} part) the registry row's metrics: the data, the split, the hold-out scores of the new
 * version and of the promoted one on the same runs, and the promotion decision.
 *
 * @param championVersion the version promoted before this one, or null when there was none
 * @param championScores that version's scores on this retrain's held-out runs
 */
record RetrainSummary(
    String model,
    int version,
    Target target,
    DatasetVersion dataset,
    Split split,
    long seed,
    double testFraction,
    Scores holdout,
    Integer championVersion,
    Scores championScores,
    Promotion promotion,
    double margin,
    int excludedRows) {

  ObjectNode toJson() {
    ObjectNode summary = Wire.mapper().createObjectNode();
    summary.put("model", model);
    summary.put("version", version);
    summary.put("target", target.wireName());
    summary.put("algorithm", Surrogate.ALGORITHM);
    summary.put("datasetVersion", dataset.text());
    ObjectNode metrics = summary.putObject("metrics");
    metrics.put("seed", seed);
    metrics.put("testFraction", testFraction);
    metrics.put("trainRows", split.train().size());
    metrics.put("testRows", split.test().size());
    // Runs left out because the model cannot learn from them (a zero target has no logarithm).
    metrics.put("excludedRows", excludedRows);
    put(metrics.putObject("holdout"), holdout);
    if (championVersion != null) {
      ObjectNode champion = metrics.putObject("champion");
      champion.put("version", championVersion);
      put(champion, championScores);
    } else {
      metrics.putNull("champion");
    }
    summary.put("promoted", promotion.promoted());
    summary.put("promotionReason", promotion.reason());
    summary.put("promotionMargin", margin);
    return summary;
  }

  /** Scores as JSON numbers; a value that is not finite (R² of constant actuals) as null. */
  private static void put(ObjectNode node, Scores scores) {
    number(node, "rmse", scores.rmse());
    number(node, "mae", scores.mae());
    number(node, "r2", scores.r2());
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
