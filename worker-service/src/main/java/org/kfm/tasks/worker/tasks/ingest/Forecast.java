package org.kfm.tasks.worker.tasks.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A forecast that passed every check: when the upstream last updated it, the grid cell's polygon
 * (null when none was sent) and centroid, and its periods in time order.
 */
record Forecast(
    Instant updated, JsonNode geometry, Double lon, Double lat, List<Forecast.Period> periods) {

  Forecast {
    periods = List.copyOf(periods);
  }

  Instant from() {
    return periods.get(0).start();
  }

  Instant to() {
    return periods.get(periods.size() - 1).end();
  }

  record Period(
      int number,
      String name,
      Instant start,
      Instant end,
      boolean daytime,
      double temperature,
      String temperatureUnit,
      String windSpeed,
      String windDirection,
      String shortForecast,
      String detailedForecast,
      Integer precipitationProbability) {}
}
