package org.kfm.tasks.api.well;

import java.time.Instant;
import java.util.Map;

/**
 * The jobs table as the watchdog last read it: unfinished jobs per class and status, the oldest
 * queued job's due time per class, late heartbeats per class, and finished and failed jobs per task
 * in the failure window. {@code error} says why the last read failed, if it did.
 */
record JobCounts(
    Instant readAt,
    Map<String, Map<String, Long>> byClassAndStatus,
    Map<String, Instant> oldestQueuedDue,
    Map<String, Long> lateHeartbeats,
    Map<String, TaskOutcomes> finishedByTask,
    String error) {

  record TaskOutcomes(long finished, long failed) {
    double failureRatio() {
      return finished == 0 ? 0 : (double) failed / finished;
    }
  }

  static JobCounts failed(Instant at, String error) {
    return new JobCounts(at, Map.of(), Map.of(), Map.of(), Map.of(), error);
  }

  long count(String queue, String status) {
    return byClassAndStatus.getOrDefault(queue, Map.of()).getOrDefault(status, 0L);
  }
}
