package org.kfm.tasks.worker.tasks.ml;

import java.util.List;

/**
 * The model's inputs, derived from a run's parameters. The simulation draws a Poisson number of
 * events with mean {@code annual_event_rate * horizon_years}, so the rate and the horizon act only
 * through that product; shifting the severity's {@code mu} scales every loss by {@code e^mu}. In
 * log space the mean loss is exactly {@code ln(expected events) + mu + sigma^2/2}, and the
 * percentiles are smooth in the same terms, which the squares and the product below absorb.
 */
final class Features {
  static final List<String> NAMES =
      List.of(
          "ln_expected_events",
          "ln_expected_events_sq",
          "mu",
          "sigma",
          "sigma_sq",
          "sigma_x_ln_expected_events");

  private Features() {}

  static double[] of(RunRow row) {
    double lnEvents = Math.log(row.annualEventRate() * row.horizonYears());
    double sigma = row.sigma();
    return new double[] {
      lnEvents, lnEvents * lnEvents, row.mu(), sigma, sigma * sigma, sigma * lnEvents
    };
  }

  /** A run the model can use: finite parameters and a positive expected event count. */
  static boolean usable(RunRow row) {
    if (!(row.annualEventRate() > 0) || row.horizonYears() < 1) {
      return false;
    }
    for (double value : of(row)) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }
}
