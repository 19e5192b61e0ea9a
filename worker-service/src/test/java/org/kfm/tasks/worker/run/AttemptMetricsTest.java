package org.kfm.tasks.worker.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobErrors;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskSpec;

/** The series a replica serving only latency-sensitive work exposes, and what moves them. */
class AttemptMetricsTest {
  private static final TaskCatalog CATALOG = TaskCatalog.fromClasspath();
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private MeterRegistry meters;
  private AttemptMetrics metrics;
  private TaskSpec noop;

  private static WorkerConfig serving(String servedClass) {
    return new WorkerConfig() {
      public Optional<String> id() {
        return Optional.of("worker-test");
      }

      public Map<String, Boolean> serve() {
        return Map.of(servedClass, true, "cpu-heavy", false);
      }

      public Duration progressInterval() {
        return Duration.ofMillis(500);
      }

      public Duration heartbeatInterval() {
        return Duration.ofSeconds(5);
      }

      public Duration startReportDelay() {
        return Duration.ofMillis(200);
      }

      public Duration stopGrace() {
        return Duration.ofSeconds(5);
      }

      public Duration shutdownGrace() {
        return Duration.ofSeconds(20);
      }

      public Duration finalEventPatience() {
        return Duration.ofMinutes(10);
      }
    };
  }

  @BeforeEach
  void create() {
    meters = new SimpleMeterRegistry();
    var config =
        new SmallRyeConfigBuilder()
            .withDefaultValue("smallrye.messaging.worker.latency-sensitive.max-concurrency", "32")
            .build();
    metrics = new AttemptMetrics(meters, CATALOG, serving("latency-sensitive"), config);
    noop = CATALOG.find("system.noop").orElseThrow().spec();
  }

  private double failed(String reason) {
    return meters
        .get("kfm.task.failed")
        .tags("task", "system.noop", "reason", reason)
        .counter()
        .count();
  }

  private void run(JobEvent outcome, Instant enqueuedAt, Instant startedAt) {
    metrics.started(noop, enqueuedAt, startedAt);
    metrics.finished(noop, outcome, metrics.startTiming(), false);
  }

  @Test
  void servedTasksHaveEverySeriesAtZeroAndOtherClassesNone() {
    assertThat(meters.get("kfm.task.succeeded").tags("task", "system.noop").counter().count())
        .isZero();
    for (String reason : AttemptMetrics.FAILURE_REASONS) {
      assertThat(failed(reason)).isZero();
    }
    assertThat(meters.get("kfm.task.queue.lag").tags("class", "latency-sensitive").timers())
        .isNotEmpty();
    assertThat(meters.get("kfm.worker.pool.size").tag("class", "latency-sensitive").gauge().value())
        .isEqualTo(32);
    assertThat(meters.find("kfm.task.succeeded").tag("task", "analysis.run_simulation").counter())
        .as("a cpu-heavy task on a replica that does not serve cpu-heavy")
        .isNull();
    assertThat(meters.find("kfm.worker.pool.busy").tag("class", "cpu-heavy").gauge()).isNull();
  }

  @Test
  void anAttemptRecordsItsQueueLagAndOutcomeAndFreesItsSlot() {
    metrics.started(noop, NOW.minusSeconds(3), NOW);
    assertThat(meters.get("kfm.worker.pool.busy").tag("class", "latency-sensitive").gauge().value())
        .isEqualTo(1);

    metrics.finished(
        noop,
        JobEvent.succeeded(UUID.randomUUID(), 1, "worker-test", NOW, null),
        metrics.startTiming(),
        false);

    Timer lag = meters.get("kfm.task.queue.lag").tags("task", "system.noop").timer();
    assertThat(lag.count()).isEqualTo(1);
    assertThat(lag.totalTime(TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(meters.get("kfm.task.succeeded").tags("task", "system.noop").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("kfm.worker.pool.busy").tag("class", "latency-sensitive").gauge().value())
        .isZero();
  }

  @Test
  void failuresCountByReasonClass() {
    UUID job = UUID.randomUUID();
    run(JobEvent.failed(job, 1, "w", NOW, JobErrors.timeout(Duration.ofSeconds(1))), NOW, NOW);
    run(
        JobEvent.failed(
            job,
            2,
            "w",
            NOW,
            JobErrors.handlerFailure(new TaskFailure("TOO_LARGE", "big", false), NOW)),
        NOW,
        NOW);
    run(
        JobEvent.failed(job, 3, "w", NOW, JobErrors.internal(new IllegalStateException())),
        NOW,
        NOW);
    run(JobEvent.failed(job, 4, "w", NOW, JobErrors.workerShutdown()), NOW, NOW);
    run(JobEvent.failed(job, 5, "w", NOW, JobErrors.timeout(Duration.ofSeconds(1))), NOW, NOW);

    assertThat(failed("timeout")).isEqualTo(2);
    assertThat(failed("handler")).isEqualTo(1);
    assertThat(failed("internal")).isEqualTo(1);
    assertThat(failed("shutdown")).isEqualTo(1);
  }

  @Test
  void aCommandWithoutEnqueueTimeRecordsNoLagAndAClockAheadRecordsZero() {
    run(JobEvent.canceled(UUID.randomUUID(), 1, "w", NOW), null, NOW);
    run(JobEvent.canceled(UUID.randomUUID(), 1, "w", NOW), NOW.plusSeconds(2), NOW);

    Timer lag = meters.get("kfm.task.queue.lag").tags("task", "system.noop").timer();
    assertThat(lag.count()).isEqualTo(1);
    assertThat(lag.totalTime(TimeUnit.SECONDS)).isZero();
  }
}
