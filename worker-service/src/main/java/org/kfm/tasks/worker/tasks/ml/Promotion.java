package org.kfm.tasks.worker.tasks.ml;

import java.util.Locale;

/**
 * Whether a new model version replaces the promoted one. Both are scored on the same held-out runs;
 * the new version is promoted unless its RMSE is worse than the promoted version's by more than the
 * margin (relative: 0.05 allows 5% worse), so a retrain on fresher data is not blocked by noise but
 * a clearly worse model never becomes the default.
 */
record Promotion(boolean promoted, String reason) {

  /** The promoted version's scores on the new version's held-out runs. */
  record Champion(int version, double rmse) {}

  static Promotion decide(double rmse, Champion champion, double margin) {
    if (margin < 0) {
      throw new IllegalArgumentException("margin must not be negative: " + margin);
    }
    if (!Double.isFinite(rmse)) {
      return new Promotion(false, "the hold-out RMSE is not a number: the model is unusable");
    }
    if (champion == null) {
      return new Promotion(true, "no version was promoted yet");
    }
    double limit = champion.rmse() * (1 + margin);
    if (rmse <= limit) {
      return new Promotion(
          true,
          String.format(
              Locale.ROOT,
              "hold-out RMSE %.6g is within %.1f%% of promoted v%d's %.6g on the same runs",
              rmse,
              margin * 100,
              champion.version(),
              champion.rmse()));
    }
    return new Promotion(
        false,
        String.format(
            Locale.ROOT,
            "hold-out RMSE %.6g is worse than promoted v%d's %.6g on the same runs by more than"
                + " the %.1f%% margin; v%d stays promoted",
            rmse,
            champion.version(),
            champion.rmse(),
            margin * 100,
            champion.version()));
  }
}
