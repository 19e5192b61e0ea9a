package org.kfm.tasks.api.well;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each problem the watchdog reports, from readings built in the test; and none when all is well.
 */
class WellnessRulesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static final WellConfig CONFIG =
      new WellConfig() {
        public Duration refresh() {
          return Duration.ofSeconds(15);
        }

        public long maxQueued() {
          return 100;
        }

        public Duration maxQueuedAge() {
          return Duration.ofMinutes(10);
        }

        public Duration failureWindow() {
          return Duration.ofMinutes(15);
        }

        public double maxFailureRatio() {
          return 0.5;
        }

        public long failureMinJobs() {
          return 10;
        }

        public Duration projectionStallAfter() {
          return Duration.ofMinutes(2);
        }

        public String projectorGroup() {
          return "kfm-api-projector";
        }

        public Duration heartbeatLateAfter() {
          return Duration.ofSeconds(15);
        }
      };

  private static JobCounts jobs(
      Map<String, Map<String, Long>> counts,
      Map<String, Instant> oldest,
      Map<String, JobCounts.TaskOutcomes> finished) {
    return new JobCounts(NOW, counts, oldest, Map.of(), finished, null);
  }

  private static JobCounts quietJobs() {
    return jobs(Map.of(), Map.of(), Map.of());
  }

  private static KafkaState quietKafka() {
    return new KafkaState(NOW, Map.of("kfm.dlq.kfm.job-events", 0L), 0, NOW, null);
  }

  private static Map<String, String> problems(JobCounts jobs, KafkaState kafka) {
    return WellnessRules.problems(jobs, kafka, CONFIG, NOW);
  }

  @Test
  void quietReadingsAreWell() {
    assertThat(problems(quietJobs(), quietKafka())).isEmpty();
  }

  @Test
  void moreQueuedJobsThanTheLimitPileUp() {
    var jobs =
        jobs(Map.of("io-heavy", Map.of("queued", 101L, "running", 5000L)), Map.of(), Map.of());

    assertThat(problems(jobs, quietKafka()))
        .containsOnlyKeys("queue.io-heavy.count")
        .containsValue("101 jobs queued, more than 100");
  }

  @Test
  void anOldQueuedJobPilesUpItsClassOnly() {
    var jobs =
        jobs(
            Map.of("cpu-heavy", Map.of("queued", 1L), "io-heavy", Map.of("queued", 1L)),
            Map.of(
                "cpu-heavy", NOW.minus(Duration.ofMinutes(11)),
                "io-heavy", NOW.minus(Duration.ofMinutes(9))),
            Map.of());

    assertThat(problems(jobs, quietKafka()))
        .containsOnlyKeys("queue.cpu-heavy.age")
        .containsValue("oldest queued job has waited 660 s, longer than 600 s");
  }

  @Test
  void aTaskFailingAtTheRatioWithEnoughJobsFailsRepeatedly() {
    var jobs =
        jobs(
            Map.of(),
            Map.of(),
            Map.of(
                "analysis.run_simulation", new JobCounts.TaskOutcomes(10, 5),
                "exports.csv", new JobCounts.TaskOutcomes(10, 4),
                "system.noop", new JobCounts.TaskOutcomes(9, 9)));

    assertThat(problems(jobs, quietKafka()))
        .containsOnlyKeys("task.analysis.run_simulation.failing")
        .containsValue("5 of 10 jobs failed in the last 15 min");
  }

  @Test
  void aBacklogWithoutCommitsPastTheLimitIsAStall() {
    var stalled = new KafkaState(NOW, Map.of(), 7, NOW.minus(Duration.ofMinutes(3)), null);
    var moving = new KafkaState(NOW, Map.of(), 7, NOW.minus(Duration.ofSeconds(30)), null);

    assertThat(problems(quietJobs(), stalled))
        .containsOnlyKeys("projection.stalled")
        .containsValue("7 status events waiting, nothing committed for 180 s");
    assertThat(problems(quietJobs(), moving)).isEmpty();
  }

  @Test
  void aDeadLetterTopicHoldingRecordsIsReported() {
    var kafka =
        new KafkaState(
            NOW,
            Map.of("kfm.dlq.kfm.tasks.io-heavy", 3L, "kfm.dlq.kfm.job-events", 0L),
            0,
            NOW,
            null);

    assertThat(problems(quietJobs(), kafka))
        .containsOnlyKeys("dlq.kfm.dlq.kfm.tasks.io-heavy")
        .containsValue("3 records parked");
  }

  @Test
  void failedOrStaleReadingsAreProblemsThemselves() {
    var unreadable = JobCounts.failed(NOW, "connection refused");
    var stale =
        new KafkaState(
            NOW.minus(Duration.ofMinutes(5)), Map.of(), 0, NOW.minus(Duration.ofMinutes(5)), null);

    assertThat(problems(unreadable, stale))
        .containsOnlyKeys("jobs.unreadable", "kafka.unreadable")
        .containsEntry("jobs.unreadable", "connection refused");
    assertThat(WellnessRules.problems(null, null, CONFIG, NOW)).containsOnlyKeys("watch");
  }
}
