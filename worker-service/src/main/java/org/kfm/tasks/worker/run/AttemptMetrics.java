package org.kfm.tasks.worker.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.ErrorCodes;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * What attempts are counted by: run time, outcome and queue lag per task, pool use and late
 * heartbeats per class, and how starts were reported. Latency-sensitive attempts are not logged as
 * they start and finish; these count them instead. Tags are task and class names and a closed set
 * of failure reasons, never job ids or owners, so the number of series is bounded by the catalogue.
 * Every series of a served task exists from the start at zero, so that dashboards and alerts see a
 * rate of zero instead of no data.
 */
// Created at start, not with the first command, so that every series is scraped from the start.
@Startup
@Singleton
final class AttemptMetrics {
  /** Why an attempt failed, in classes few enough to tag by; handlers' own codes are "handler". */
  static final List<String> FAILURE_REASONS = List.of("timeout", "internal", "handler", "shutdown");

  private final MeterRegistry meters;
  private final Counter startsReported;
  private final Counter startsInOutcome;
  private final Map<ConcurrencyClass, AtomicInteger> busy = new EnumMap<>(ConcurrencyClass.class);
  private final Map<ConcurrencyClass, Counter> lateHeartbeats =
      new EnumMap<>(ConcurrencyClass.class);
  // Looked up once per task: a builder's register() sorts its tags and runs every meter filter,
  // which at thousands of attempts a second costs more than the recording itself.
  private final Map<String, TaskMeters> byTask = new ConcurrentHashMap<>();

  /** The meters every attempt of one task records into. */
  private record TaskMeters(
      Timer queueLag, Timer succeededDuration, Counter succeeded, Map<String, Counter> failed) {}

  AttemptMetrics(MeterRegistry meters, TaskCatalog catalog, WorkerConfig worker, Config config) {
    this.meters = meters;
    this.startsReported = meters.counter("kfm.worker.start.reports", "as", "event");
    this.startsInOutcome = meters.counter("kfm.worker.start.reports", "as", "outcome");
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      if (!worker.serve().getOrDefault(c.wireName(), false)) {
        continue;
      }
      registerClass(c, config);
    }
    catalog.all().stream()
        .map(TaskCatalog.Entry::spec)
        .filter(spec -> busy.containsKey(spec.concurrencyClass()))
        .forEach(this::registerTask);
  }

  private void registerClass(ConcurrencyClass c, Config config) {
    AtomicInteger running = new AtomicInteger();
    busy.put(c, running);
    int size =
        config
            .getOptionalValue(
                "smallrye.messaging.worker." + c.wireName() + ".max-concurrency", Integer.class)
            .orElse(0);
    Gauge.builder("kfm.worker.pool.busy", running, AtomicInteger::get)
        .description("attempts running in the class's pool")
        .tag("class", c.wireName())
        .register(meters);
    Gauge.builder("kfm.worker.pool.size", () -> size)
        .description("the class pool's max concurrency on this replica")
        .tag("class", c.wireName())
        .register(meters);
    lateHeartbeats.put(
        c,
        Counter.builder("kfm.worker.heartbeats.late")
            .description("heartbeats sent more than half an interval after they were due")
            .tag("class", c.wireName())
            .register(meters));
  }

  private void registerTask(TaskSpec spec) {
    meters(spec);
  }

  private TaskMeters meters(TaskSpec spec) {
    return byTask.computeIfAbsent(
        spec.name(),
        name -> {
          Map<String, Counter> failed = new HashMap<>();
          FAILURE_REASONS.forEach(reason -> failed.put(reason, failed(spec, reason)));
          return new TaskMeters(
              queueLag(spec), duration(spec, "succeeded"), succeeded(spec), Map.copyOf(failed));
        });
  }

  Timer.Sample startTiming() {
    return Timer.start(meters);
  }

  /**
   * The attempt's command reached a pool thread; enqueuedAt is absent in an older api's command.
   */
  void started(TaskSpec spec, Instant enqueuedAt, Instant startedAt) {
    busy(spec).incrementAndGet();
    if (enqueuedAt != null) {
      Duration lag = Duration.between(enqueuedAt, startedAt);
      meters(spec).queueLag().record(lag.isNegative() ? Duration.ZERO : lag);
    }
  }

  void finished(TaskSpec spec, JobEvent outcome, Timer.Sample timing, boolean startSentAlone) {
    busy(spec).decrementAndGet();
    (startSentAlone ? startsReported : startsInOutcome).increment();
    TaskMeters task = meters(spec);
    switch (outcome.type()) {
      case SUCCEEDED -> {
        timing.stop(task.succeededDuration());
        task.succeeded().increment();
      }
      case FAILED -> {
        timing.stop(duration(spec, outcomeTag(outcome)));
        task.failed().get(failureReason(outcome.error())).increment();
      }
      default -> timing.stop(duration(spec, outcomeTag(outcome)));
    }
  }

  void lateHeartbeat(TaskSpec spec) {
    lateHeartbeats.get(spec.concurrencyClass()).increment();
  }

  private AtomicInteger busy(TaskSpec spec) {
    return busy.get(spec.concurrencyClass());
  }

  private Timer duration(TaskSpec spec, String outcome) {
    return Timer.builder("kfm.task.duration")
        .description("handler run time per attempt")
        .tag("task", spec.name())
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(meters);
  }

  private Timer queueLag(TaskSpec spec) {
    return Timer.builder("kfm.task.queue.lag")
        .description("from the command's enqueue (dispatch) to its attempt's start on a worker")
        .tag("task", spec.name())
        .tag("class", spec.concurrencyClass().wireName())
        .publishPercentileHistogram()
        .register(meters);
  }

  private Counter succeeded(TaskSpec spec) {
    return Counter.builder("kfm.task.succeeded")
        .description("attempts that succeeded")
        .tag("task", spec.name())
        .register(meters);
  }

  private Counter failed(TaskSpec spec, String reason) {
    return Counter.builder("kfm.task.failed")
        .description("attempts that failed, by reason class")
        .tag("task", spec.name())
        .tag("reason", reason)
        .register(meters);
  }

  static String failureReason(JobEvent.JobError error) {
    if (error == null) {
      return "internal";
    }
    return switch (error.code()) {
      case ErrorCodes.TIMEOUT -> "timeout";
      case ErrorCodes.INTERNAL -> "internal";
      case ErrorCodes.WORKER_SHUTDOWN -> "shutdown";
      default -> "handler";
    };
  }

  private static String outcomeTag(JobEvent outcome) {
    return switch (outcome.type()) {
      case SUCCEEDED -> "succeeded";
      case CANCELED -> "canceled";
      default ->
          outcome.error() == null
              ? outcome.type().wireName()
              : outcome.error().code().toLowerCase();
    };
  }
}
