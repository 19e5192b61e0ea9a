package org.kfm.tasks.api.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kfm.admission")
public interface AdmissionConfig {
  /**
   * API requests served at once; more are refused with 503 instead of queueing. Queued requests
   * only add latency and memory once the database and broker are saturated.
   */
  @WithDefault("128")
  int maxInFlight();

  /**
   * Batch submissions served at once, within {@link #maxInFlight()}. Each holds up to a thousand
   * jobs in memory and one transaction, so a few in parallel already keep the database busy.
   */
  @WithDefault("4")
  int maxBatchesInFlight();

  /**
   * Artifact downloads served at once, apart from {@link #maxInFlight()}: each holds a worker
   * thread for as long as its client takes to read the file.
   */
  @WithDefault("16")
  int maxDownloadsInFlight();

  /** What a refused client is told to wait before trying again. */
  @WithDefault("1s")
  Duration retryAfter();
}
