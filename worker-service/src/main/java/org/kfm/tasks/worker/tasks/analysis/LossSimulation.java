package org.kfm.tasks.worker.tasks.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Monte Carlo estimate of the aggregate loss over a horizon: the number of events is Poisson with
 * mean {@code annualEventRate * horizonYears}, each event's severity is log-normal. Pure and
 * deterministic for a given seed, so a re-run of the same job gives the same numbers.
 */
public final class LossSimulation {

  /** What to simulate. */
  public record Scenario(
      int runs, int horizonYears, double annualEventRate, double mu, double sigma, int bins) {}

  /** Summary statistics and a histogram of the simulated totals. */
  public record Outcome(
      long seed,
      int runs,
      double mean,
      double stdDev,
      double min,
      double max,
      double p5,
      double p50,
      double p95,
      double p99,
      double probabilityOfLoss,
      double[] binEdges,
      long[] binCounts) {}

  /** Thrown when the caller asked to stop. */
  public static final class Stopped extends RuntimeException {
    Stopped() {
      super("simulation stopped");
    }
  }

  private LossSimulation() {}

  public static Outcome run(
      Scenario scenario, long seed, DoubleConsumer progress, BooleanSupplier stopRequested) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] totals = new double[scenario.runs()];
    double eventsMean = scenario.annualEventRate() * scenario.horizonYears();
    int step = Math.max(1, scenario.runs() / 100);
    double mean = 0;
    double m2 = 0;
    int withLoss = 0;
    for (int i = 0; i < scenario.runs(); i++) {
      if (i % step == 0) {
        if (stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted()) {
          throw new Stopped();
        }
        progress.accept((double) i / scenario.runs());
      }
      long events = poisson(random, eventsMean);
      double total = 0;
      for (long e = 0; e < events; e++) {
        total += Math.exp(scenario.mu() + scenario.sigma() * random.nextGaussian());
      }
      totals[i] = total;
      if (total > 0) {
        withLoss++;
      }
      // Welford's update: stable for large run counts.
      double delta = total - mean;
      mean += delta / (i + 1);
      m2 += delta * (total - mean);
    }
    Arrays.sort(totals);
    double std = scenario.runs() > 1 ? Math.sqrt(m2 / (scenario.runs() - 1)) : 0;
    double min = totals[0];
    double max = totals[totals.length - 1];
    double[] edges = new double[scenario.bins() + 1];
    long[] counts = new long[scenario.bins()];
    double width = (max - min) / scenario.bins();
    for (int b = 0; b <= scenario.bins(); b++) {
      edges[b] = min + b * width;
    }
    for (double total : totals) {
      int bin = width == 0 ? 0 : (int) Math.min(scenario.bins() - 1, (total - min) / width);
      counts[bin]++;
    }
    return new Outcome(
        seed,
        scenario.runs(),
        mean,
        std,
        min,
        max,
        quantile(totals, 0.05),
        quantile(totals, 0.50),
        quantile(totals, 0.95),
        quantile(totals, 0.99),
        (double) withLoss / scenario.runs(),
        edges,
        counts);
  }

  /** Linear interpolation between closest ranks (the R-7 / Excel PERCENTILE.INC definition). */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
  }

  /**
   * Poisson variate. Knuth's product method is exact but linear in the mean, so large means are
   * split into chunks of at most 30 (a sum of independent Poissons is Poisson).
   */
  static long poisson(SplittableRandom random, double mean) {
    long count = 0;
    double remaining = mean;
    while (remaining > 0) {
      double chunk = Math.min(remaining, 30);
      remaining -= chunk;
      double limit = Math.exp(-chunk);
      double product = random.nextDouble();
      while (product > limit) {
        count++;
        product *= random.nextDouble();
      }
    }
    return count;
  }
}
