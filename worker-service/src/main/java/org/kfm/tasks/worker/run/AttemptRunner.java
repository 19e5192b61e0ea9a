package org.kfm.tasks.worker.run;

import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskSpec;
import org.kfm.tasks.worker.outputs.ArtifactWriter;

/**
 * Runs one attempt of one job: reports start, runs the handler on its own thread under its task's
 * limit, timeout and heartbeat, stops it on cancel or shutdown, and reports the outcome. The pool
 * thread returns only once the outcome is acknowledged by Kafka; the caller then acknowledges the
 * command.
 */
@ApplicationScoped
public class AttemptRunner {
  private static final Logger LOG = Logger.getLogger(AttemptRunner.class);

  private final TaskLimits limits;
  private final EventSender events;
  private final WorkerIdentity worker;
  private final WorkerConfig config;
  private final RunningAttempts attempts;
  private final AttemptTimers timers;
  private final HandlerThreads handlerThreads;
  private final AttemptOutcomes outcomes;
  private final AttemptMetrics metrics;
  private final ArtifactWriter artifactWriter;
  private final Tracer tracer;
  private final Clock clock = Clock.systemUTC();

  public AttemptRunner(
      TaskLimits limits,
      EventSender events,
      WorkerIdentity worker,
      WorkerConfig config,
      RunningAttempts attempts,
      AttemptTimers timers,
      HandlerThreads handlerThreads,
      AttemptOutcomes outcomes,
      AttemptMetrics metrics,
      ArtifactWriter artifactWriter,
      Tracer tracer) {
    this.artifactWriter = artifactWriter;
    this.tracer = tracer;
    this.limits = limits;
    this.events = events;
    this.worker = worker;
    this.config = config;
    this.attempts = attempts;
    this.timers = timers;
    this.handlerThreads = handlerThreads;
    this.outcomes = outcomes;
    this.metrics = metrics;
  }

  /**
   * Runs a command that passed {@link CommandCheck#check}, in a run span whose parent is {@code
   * parent}: the context the command's record brought from the api. Every line logged meanwhile, on
   * this thread or the handler's, carries the job, task, attempt and trace id.
   */
  public void run(RunnableCommand runnable, Context parent) {
    TaskCommand command = runnable.command();
    TaskSpec spec = runnable.spec();
    AttemptTrace trace = AttemptTrace.start(tracer, parent, command, spec);
    JobEvent outcome = null;
    MDC.put("jobId", command.jobId().toString());
    MDC.put("task", spec.name());
    MDC.put("attempt", String.valueOf(command.attempt()));
    try (Scope scope = trace.context().makeCurrent()) {
      putTraceId(trace);
      if (attempts.isDraining()) {
        GracefulShutdown.handBack(command);
      }
      limits.acquire(spec);
      try {
        outcome = execute(runnable, trace);
      } finally {
        limits.release(spec);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      GracefulShutdown.handBack(command);
    } finally {
      trace.end(outcome);
      MDC.remove("jobId");
      MDC.remove("task");
      MDC.remove("attempt");
      MDC.remove("traceId");
    }
  }

  // Set again after the scope opened: the context storage may have rewritten the log context.
  private static void putTraceId(AttemptTrace trace) {
    if (trace.traceId() != null) {
      MDC.put("traceId", trace.traceId());
    }
  }

  /** The outcome reported, or null when the attempt did not run (canceled before it started). */
  private JobEvent execute(RunnableCommand runnable, AttemptTrace trace) {
    TaskCommand command = runnable.command();
    TaskSpec spec = runnable.spec();
    UUID jobId = command.jobId();
    int attempt = command.attempt();
    if (attempts.wasCanceled(jobId, attempt)) {
      LOG.infof("job=%s attempt=%d skipped: canceled before it started", jobId, attempt);
      return null;
    }
    if (command.deadline() != null && clock.instant().isAfter(command.deadline())) {
      JobEvent expired = outcomes.expired(command);
      events.sendFinal(expired);
      return expired;
    }
    Redactor redactor = Redactor.forJob(spec, command.params());
    // The handler's own lines, on any logger, lose this job's secrets too (RedactingLogFilter).
    try (JobLogSecrets.Registration secrets = JobLogSecrets.register(jobId, attempt, redactor)) {
      return runHandler(runnable, trace, redactor);
    }
  }

  private JobEvent runHandler(RunnableCommand runnable, AttemptTrace trace, Redactor redactor) {
    TaskCommand command = runnable.command();
    TaskSpec spec = runnable.spec();
    UUID jobId = command.jobId();
    int attempt = command.attempt();
    Instant startedAt = clock.instant();
    AttemptReports reports =
        new AttemptReports(events, worker.id(), clock, jobId, attempt, startedAt);
    AttemptContext context =
        new AttemptContext(
            command,
            spec,
            reports::progress,
            config.progressInterval().toMillis(),
            clock,
            artifactWriter,
            redactor,
            trace);
    AttemptHandle handle = new AttemptHandle(context);
    Logger.Level lifecycle = lifecycleLevel(spec);
    Timer.Sample timing;
    JobEvent outcome;
    // Only the outcome must be acknowledged before the command is: it carries the start time, so a
    // start that was never reported (or was lost) is implied by it.
    try (AttemptTimers.Running running = timers.start(reports, () -> metrics.lateHeartbeat(spec))) {
      LOG.logf(lifecycle, "job=%s task=%s attempt=%d started", jobId, spec.name(), attempt);
      try (RunningAttempts.Registration registered = attempts.register(jobId, attempt, handle)) {
        metrics.started(spec, command.enqueuedAt(), startedAt);
        timing = metrics.startTiming();
        handlerThreads.run(handle, spec, jobId, () -> runnable.handler().run(context));
        outcome = redactor.event(outcomes.of(handle, spec, jobId, attempt));
      }
    }
    metrics.finished(spec, outcome, timing, reports.finish());
    events.sendFinal(outcome.withStartedAt(startedAt));
    LOG.logf(
        lifecycle,
        "job=%s task=%s attempt=%d finished outcome=%s duration=%dms%s",
        jobId,
        spec.name(),
        attempt,
        outcome.type().wireName(),
        Duration.between(startedAt, clock.instant()).toMillis(),
        outcome.error() == null ? "" : " code=" + outcome.error().code() + errorIdOf(outcome));
    return outcome;
  }

  private static String errorIdOf(JobEvent outcome) {
    return outcome.error().errorId() == null ? "" : " errorId=" + outcome.error().errorId();
  }

  /**
   * Start and finish of latency-sensitive tasks are logged at DEBUG: at thousands of jobs a second
   * two log lines per job cost more than the jobs; kfm_task_duration_seconds counts them instead.
   */
  private static Logger.Level lifecycleLevel(TaskSpec spec) {
    return spec.concurrencyClass() == ConcurrencyClass.LATENCY_SENSITIVE
        ? Logger.Level.DEBUG
        : Logger.Level.INFO;
  }
}
