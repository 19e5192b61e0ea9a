package org.kfm.tasks.worker.tasks.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.kfm.tasks.contracts.TaskContext;

/**
 * How a sweep runs: its batch size, whether it only counts (dry run), when it must stop early, and
 * where its progress goes. A sweep stopped early reports {@code complete: false}; the next run
 * carries on where this one stopped, since whatever it removed is gone from the listing.
 */
record SweepLimits(int batchSize, boolean dryRun, BooleanSupplier mustStop, Progress progress) {
  /** Left before the deadline to report back: the platform stops the attempt at the deadline. */
  static final Duration REPORT_MARGIN = Duration.ofSeconds(30);

  static final int DEFAULT_BATCH_SIZE = 500;

  interface Progress {
    void report(double fraction, String message);
  }

  /** A job's limits: its params, its cancellation and its attempt's deadline. */
  static SweepLimits of(TaskContext context) {
    JsonNode p = context.params();
    Instant stopAt = context.deadline().minus(REPORT_MARGIN);
    return new SweepLimits(
        p.path("batch_size").asInt(DEFAULT_BATCH_SIZE),
        p.path("dry_run").asBoolean(false),
        () ->
            context.isCancelled()
                || Thread.currentThread().isInterrupted()
                || Instant.now().isAfter(stopAt),
        context::progress);
  }

  SweepLimits {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
  }

  boolean stopNow() {
    return mustStop.getAsBoolean();
  }

  /** Progress without a total (listings are lazy): the fraction rises toward 1 with the scan. */
  void progress(String what, long scanned, Removed removed) {
    progress.report(
        scanned / (scanned + 10_000.0),
        what
            + ": "
            + scanned
            + " scanned, "
            + removed.count()
            + (dryRun ? " would be removed" : " removed"));
  }
}
