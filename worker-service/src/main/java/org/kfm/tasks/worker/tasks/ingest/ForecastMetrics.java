package org.kfm.tasks.worker.tasks.ingest;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * What forecast pulls see upstream and what they store: answers by status (or {@code timeout},
 * {@code unreachable}, {@code too_large}, {@code io_error}), pulls by outcome, bytes read and
 * periods written.
 */
@Singleton
class ForecastMetrics {
  private final MeterRegistry meters;
  private final DistributionSummary bytes;

  ForecastMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.bytes =
        DistributionSummary.builder("kfm.ingest.noaa.response.size")
            .baseUnit("bytes")
            .description("size of forecast bodies read")
            .register(meters);
  }

  void response(String status) {
    meters.counter("kfm.ingest.noaa.responses", "status", status).increment();
  }

  void bytes(long size) {
    bytes.record(size);
  }

  /** {@code changed}, {@code not_modified}, {@code same_updated}, {@code older_than_stored}. */
  void pull(String outcome) {
    meters.counter("kfm.ingest.noaa.pulls", "outcome", outcome).increment();
  }

  void stored(int periods) {
    meters.counter("kfm.ingest.noaa.periods.stored").increment(periods);
  }
}
