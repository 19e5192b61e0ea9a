package org.kfm.tasks.worker.run;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEvent.Progress;

/**
 * What the API hears from one attempt before its outcome: its start, its progress, and heartbeats
 * repeating the last progress. All fire and forget: the outcome settles whatever is lost. Any
 * report implies the start, so the start goes first.
 */
final class AttemptReports {
  private final EventSender events;
  private final String workerId;
  private final Clock clock;
  private final UUID jobId;
  private final int attempt;
  private final StartReport start;
  private final AtomicReference<Progress> lastProgress =
      new AtomicReference<>(new Progress(0, "started"));
  // Captured where the attempt runs: reports sent from timer threads still join its trace, so the
  // api's projection of each one does too.
  private final Context traceContext = Context.current();

  AttemptReports(
      EventSender events,
      String workerId,
      Clock clock,
      UUID jobId,
      int attempt,
      Instant startedAt) {
    this.events = events;
    this.workerId = workerId;
    this.clock = clock;
    this.jobId = jobId;
    this.attempt = attempt;
    this.start =
        new StartReport(
            () ->
                events.sendProgress(
                    JobEvent.started(jobId, attempt, workerId, clock.instant())
                        .withStartedAt(startedAt)));
  }

  void start() {
    inTrace(start::sendIfRunning);
  }

  /** The handler's progress, already rate-limited by its context. */
  void progress(Progress progress) {
    inTrace(
        () -> {
          start.sendIfRunning();
          lastProgress.set(progress);
          send(progress);
        });
  }

  /** Tells the API the attempt is alive. */
  void heartbeat() {
    inTrace(
        () -> {
          start.sendIfRunning();
          send(lastProgress.get());
        });
  }

  private void inTrace(Runnable report) {
    try (Scope scope = traceContext.makeCurrent()) {
      report.run();
    }
  }

  /** The attempt finished; returns whether its start was sent as its own event. */
  boolean finish() {
    return start.finish();
  }

  private void send(Progress progress) {
    events.sendProgress(JobEvent.progress(jobId, attempt, workerId, clock.instant(), progress));
  }
}
