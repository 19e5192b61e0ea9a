package org.kfm.tasks.api.well;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfm.tasks.contracts.ConcurrencyClass;

/**
 * Decides, from the last readings, what is wrong: each entry names a problem (its key) and says why
 * (its value). Empty means well.
 */
final class WellnessRules {
  private WellnessRules() {}

  static Map<String, String> problems(
      JobCounts jobs, KafkaState kafka, WellConfig config, Instant now) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (jobs == null || kafka == null) {
      problems.put("watch", "no reading yet");
      return problems;
    }
    // A slow database or broker may stretch one read well past the interval; only a reading
    // missing for much longer than that means the watch itself is stuck.
    Duration stale = config.refresh().multipliedBy(4).plusSeconds(30);
    if (jobs.error() != null) {
      problems.put("jobs.unreadable", jobs.error());
    } else if (jobs.readAt().plus(stale).isBefore(now)) {
      problems.put("jobs.unreadable", "job counts last read at " + jobs.readAt());
    }
    if (kafka.error() != null) {
      problems.put("kafka.unreadable", kafka.error());
    } else if (kafka.readAt().plus(stale).isBefore(now)) {
      problems.put("kafka.unreadable", "Kafka offsets last read at " + kafka.readAt());
    }
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      String queue = c.wireName();
      long queued = jobs.count(queue, "queued");
      if (queued > config.maxQueued()) {
        problems.put(
            "queue." + queue + ".count", queued + " jobs queued, more than " + config.maxQueued());
      }
      Instant oldest = jobs.oldestQueuedDue().get(queue);
      if (oldest != null) {
        Duration waited = Duration.between(oldest, jobs.readAt());
        if (waited.compareTo(config.maxQueuedAge()) > 0) {
          problems.put(
              "queue." + queue + ".age",
              "oldest queued job has waited "
                  + waited.toSeconds()
                  + " s, longer than "
                  + config.maxQueuedAge().toSeconds()
                  + " s");
        }
      }
    }
    jobs.finishedByTask()
        .forEach(
            (task, outcomes) -> {
              if (outcomes.finished() >= config.failureMinJobs()
                  && outcomes.failureRatio() >= config.maxFailureRatio()) {
                problems.put(
                    "task." + task + ".failing",
                    outcomes.failed()
                        + " of "
                        + outcomes.finished()
                        + " jobs failed in the last "
                        + config.failureWindow().toMinutes()
                        + " min");
              }
            });
    if (kafka.projectorBacklog() > 0) {
      Duration still = Duration.between(kafka.projectorLastMoved(), kafka.readAt());
      if (still.compareTo(config.projectionStallAfter()) >= 0) {
        problems.put(
            "projection.stalled",
            kafka.projectorBacklog()
                + " status events waiting, nothing committed for "
                + still.toSeconds()
                + " s");
      }
    }
    kafka
        .deadLetters()
        .forEach(
            (topic, records) -> {
              if (records > 0) {
                problems.put("dlq." + topic, records + " records parked");
              }
            });
    return problems;
  }
}
