package org.kfm.tasks.worker.tasks.ml;

/**
 * How far predictions are from what the simulation produced, in the target's own units: root mean
 * squared error, mean absolute error and the coefficient of determination R² (NaN when the actual
 * values do not vary, as R² is then undefined).
 */
record Scores(int n, double rmse, double mae, double r2) {

  static Scores of(double[] actual, double[] predicted) {
    if (actual.length != predicted.length || actual.length == 0) {
      throw new IllegalArgumentException(
          "need as many predictions as actual values, and at least one");
    }
    int n = actual.length;
    double meanActual = 0;
    for (double value : actual) {
      meanActual += value / n;
    }
    double squared = 0;
    double absolute = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double error = predicted[i] - actual[i];
      squared += error * error;
      absolute += Math.abs(error);
      total += (actual[i] - meanActual) * (actual[i] - meanActual);
    }
    double r2 = total > 0 ? 1 - squared / total : Double.NaN;
    return new Scores(n, Math.sqrt(squared / n), absolute / n, r2);
  }
}
