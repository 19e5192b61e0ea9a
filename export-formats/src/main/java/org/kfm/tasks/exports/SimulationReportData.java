package org.kfm.tasks.exports;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a simulation report shows. The maps are printed in their iteration order, so pass
 * ordered maps (LinkedHashMap) for a stable layout.
 *
 * @param parameters the run's inputs, e.g. runs, horizon_years, annual_event_rate, severity.mu
 * @param statistics the loss distribution's summary, e.g. mean, stdDev, min, p5 ... max,
 *     probabilityOfLoss; a null value prints as "n/a"
 * @param histogram loss bins in ascending order
 * @param lineage where the run came from (jobId, task, taskVersion, attempt, traceId, ...), printed
 *     in every page's footer
 */
public record SimulationReportData(
    String title,
    String scenarioId,
    UUID runJobId,
    Instant runFinishedAt,
    Map<String, String> parameters,
    Map<String, Double> statistics,
    List<Bin> histogram,
    Map<String, String> lineage) {

  /** One histogram bar: the losses in [from, to) and how many runs had them. */
  public record Bin(double from, double to, long count) {
    public Bin {
      if (!(from < to)) {
        throw new IllegalArgumentException("bin must have from < to: " + from + ", " + to);
      }
      if (count < 0) {
        throw new IllegalArgumentException("bin count must not be negative: " + count);
      }
    }
  }

  public SimulationReportData {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(scenarioId, "scenarioId");
    // Both feed the PDF's fixed ID and dates, which is what makes the bytes reproducible.
    Objects.requireNonNull(runJobId, "runJobId");
    Objects.requireNonNull(runFinishedAt, "runFinishedAt");
    parameters = ordered(parameters);
    statistics = ordered(statistics);
    histogram = List.copyOf(histogram);
    lineage = ordered(lineage);
  }

  // Map.copyOf would lose the order and reject null statistics.
  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
