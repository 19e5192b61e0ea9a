package org.kfm.tasks.worker.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * What attempts are counted by: run time per task and outcome, and how their start was reported.
 * Latency-sensitive attempts are not logged as they start and finish; these count them instead.
 */
@Singleton
final class AttemptMetrics {
  private final MeterRegistry meters;
  private final Counter startsReported;
  private final Counter startsInOutcome;

  AttemptMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.startsReported = meters.counter("kfm.worker.start.reports", "as", "event");
    this.startsInOutcome = meters.counter("kfm.worker.start.reports", "as", "outcome");
  }

  Timer.Sample startTiming() {
    return Timer.start(meters);
  }

  void finished(TaskSpec spec, JobEvent outcome, Timer.Sample timing, boolean startSentAlone) {
    (startSentAlone ? startsReported : startsInOutcome).increment();
    timing.stop(
        Timer.builder("kfm.task.duration")
            .description("handler run time per attempt")
            .tag("task", spec.name())
            .tag("outcome", outcomeTag(outcome))
            .publishPercentileHistogram()
            .register(meters));
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
