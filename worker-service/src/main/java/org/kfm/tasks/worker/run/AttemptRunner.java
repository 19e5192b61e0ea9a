package org.kfm.tasks.worker.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.ErrorCodes;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * Runs one attempt of one job: reports start, runs the handler on its own thread under its task's
 * limit, timeout and heartbeat, stops it on cancel or shutdown, and reports the outcome. The pool
 * thread returns only once the outcome is acknowledged by Kafka; the caller then acknowledges the
 * command. A handler that ignores being stopped is abandoned after a grace period so its pool slot
 * comes back.
 */
@ApplicationScoped
public class AttemptRunner {
  private static final Logger LOG = Logger.getLogger(AttemptRunner.class);
  private static final int MAX_MESSAGE = 500;

  private final TaskCatalog catalog;
  private final HandlerRegistry registry;
  private final TaskLimits limits;
  private final EventSender events;
  private final WorkerIdentity worker;
  private final WorkerConfig config;
  private final RunningAttempts attempts;
  private final MeterRegistry meters;
  private final Counter startsReported;
  private final Counter startsInOutcome;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "attempt-timers");
            t.setDaemon(true);
            return t;
          });
  // Reused across attempts: starting a thread per job cost more than a no-op job itself. A thread
  // whose handler ignores a stop stays busy and the pool starts another; idle ones end after 60 s.
  private final ExecutorService handlerThreads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "task-handler");
            // A handler that never returns must not keep the process alive at exit.
            t.setDaemon(true);
            return t;
          });

  public AttemptRunner(
      TaskCatalog catalog,
      HandlerRegistry registry,
      TaskLimits limits,
      EventSender events,
      WorkerIdentity worker,
      WorkerConfig config,
      RunningAttempts attempts,
      MeterRegistry meters) {
    this.catalog = catalog;
    this.registry = registry;
    this.limits = limits;
    this.events = events;
    this.worker = worker;
    this.config = config;
    this.attempts = attempts;
    this.meters = meters;
    this.startsReported = meters.counter("kfm.worker.start.reports", "as", "event");
    this.startsInOutcome = meters.counter("kfm.worker.start.reports", "as", "outcome");
  }

  /**
   * Refuses a command this worker cannot run from this topic.
   *
   * @throws MalformedRecordException naming why; the record belongs in the DLQ
   */
  public void check(TaskCommand command, ConcurrencyClass topicClass) {
    TaskSpec spec =
        catalog
            .find(command.task())
            .map(TaskCatalog.Entry::spec)
            .orElseThrow(() -> new MalformedRecordException("unknown task " + command.task()));
    if (spec.concurrencyClass() != topicClass) {
      throw new MalformedRecordException(
          "task " + spec.name() + " belongs to " + spec.queue() + ", not " + topicClass.wireName());
    }
    if (registry.handlerFor(spec.name()).isEmpty()) {
      throw new MalformedRecordException("no handler for task " + spec.name());
    }
  }

  /** Runs a command that passed {@link #check}. */
  public void run(TaskCommand command, ConcurrencyClass topicClass) {
    check(command, topicClass);
    TaskSpec spec = catalog.find(command.task()).orElseThrow().spec();
    TaskHandler handler = registry.handlerFor(spec.name()).orElseThrow();
    MDC.put("jobId", command.jobId().toString());
    MDC.put("task", spec.name());
    MDC.put("attempt", String.valueOf(command.attempt()));
    try {
      if (attempts.isDraining()) {
        handBack(command);
      }
      limits.acquire(spec);
      try {
        execute(command, spec, handler);
      } finally {
        limits.release(spec);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handBack(command);
    } finally {
      MDC.remove("jobId");
      MDC.remove("task");
      MDC.remove("attempt");
    }
  }

  /**
   * Never acknowledges: the command stays uncommitted and is redelivered to a replica that is not
   * shutting down. The thread waits here until the process exits.
   */
  private void handBack(TaskCommand command) {
    LOG.infof(
        "job=%s attempt=%d handed back: this worker is shutting down",
        command.jobId(), command.attempt());
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // Keep holding the record until the JVM halts.
      }
    }
  }

  private void execute(TaskCommand command, TaskSpec spec, TaskHandler handler) {
    UUID jobId = command.jobId();
    int attempt = command.attempt();
    if (attempts.wasCanceled(jobId, attempt)) {
      LOG.infof("job=%s attempt=%d skipped: canceled before it started", jobId, attempt);
      return;
    }
    if (command.deadline() != null && clock.instant().isAfter(command.deadline())) {
      LOG.infof(
          "job=%s attempt=%d not run: its deadline %s has passed",
          jobId, attempt, command.deadline());
      events.sendFinal(JobEvent.expired(jobId, attempt, worker.id(), clock.instant()));
      return;
    }
    Instant startedAt = clock.instant();
    StartReport start =
        new StartReport(
            () ->
                events.sendProgress(
                    JobEvent.started(jobId, attempt, worker.id(), clock.instant())
                        .withStartedAt(startedAt)));
    AtomicReference<JobEvent.Progress> lastProgress =
        new AtomicReference<>(new JobEvent.Progress(0, "started"));
    AttemptContext context =
        new AttemptContext(
            command,
            spec,
            progress -> {
              start.sendIfRunning();
              lastProgress.set(progress);
              events.sendProgress(
                  JobEvent.progress(jobId, attempt, worker.id(), clock.instant(), progress));
            },
            config.progressInterval().toMillis(),
            clock);
    // Only the outcome must be acknowledged before the command is: it carries the start time, so a
    // start that was never reported (or was lost) is implied by it.
    long startDelay = config.startReportDelay().toMillis();
    ScheduledFuture<?> startTimer = null;
    if (startDelay <= 0) {
      start.sendIfRunning();
    } else {
      startTimer = timers.schedule(start::sendIfRunning, startDelay, TimeUnit.MILLISECONDS);
    }
    Logger.Level lifecycle = lifecycleLevel(spec);
    LOG.logf(lifecycle, "job=%s task=%s attempt=%d started", jobId, spec.name(), attempt);

    AttemptHandle handle = new AttemptHandle(context);
    attempts.add(jobId, attempt, handle);
    if (attempts.wasCanceled(jobId, attempt)) {
      // The cancel came between the check above and being registered: stopped before it starts.
      handle.stop(StopReason.CANCELED);
    }
    // Heartbeats are progress reports repeated: they tell the API the attempt is alive.
    long beat = config.heartbeatInterval().toMillis();
    ScheduledFuture<?> heartbeat =
        timers.scheduleAtFixedRate(
            () -> {
              start.sendIfRunning();
              events.sendProgress(
                  JobEvent.progress(
                      jobId, attempt, worker.id(), clock.instant(), lastProgress.get()));
            },
            beat,
            beat,
            TimeUnit.MILLISECONDS);
    Timer.Sample sample = Timer.start(meters);
    JobEvent outcome;
    try {
      handle.start(handlerThreads, "task-" + spec.name() + "-" + jobId, () -> handler.run(context));
      outcome = await(handle, spec, jobId, attempt);
    } finally {
      heartbeat.cancel(false);
      if (startTimer != null) {
        startTimer.cancel(false);
      }
      attempts.remove(jobId, handle);
    }
    (start.finish() ? startsReported : startsInOutcome).increment();
    sample.stop(
        Timer.builder("kfm.task.duration")
            .description("handler run time per attempt")
            .tag("task", spec.name())
            .tag("outcome", outcomeTag(outcome))
            .publishPercentileHistogram()
            .register(meters));
    events.sendFinal(outcome.withStartedAt(startedAt));
    if (outcome.type() == JobEventType.SUCCEEDED) {
      LOG.logf(lifecycle, "job=%s task=%s attempt=%d succeeded", jobId, spec.name(), attempt);
    }
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

  private JobEvent await(AttemptHandle handle, TaskSpec spec, UUID jobId, int attempt) {
    CompletableFuture<Object> firstOf = CompletableFuture.anyOf(handle.result(), handle.stopped());
    try {
      firstOf.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      handle.stop(StopReason.TIMEOUT);
    } catch (InterruptedException e) {
      // The pool is being shut down under us: stop the handler the same way.
      handle.stop(StopReason.SHUTDOWN);
    } catch (ExecutionException e) {
      // The handler threw; read below.
    }
    if (!handle.result().isDone()) {
      waitForStoppedHandler(handle, spec, jobId);
    }
    StopReason stop = handle.stopped().getNow(null);
    if (handle.result().isDone() && !handle.result().isCompletedExceptionally() && stop == null) {
      return JobEvent.succeeded(
          jobId, attempt, worker.id(), clock.instant(), handle.result().join());
    }
    if (stop != null) {
      return stopped(stop, spec, jobId, attempt);
    }
    return failure(unwrap(handle.result()), spec, jobId, attempt);
  }

  /** Gives a stopped handler a grace period to return; after it the thread is abandoned. */
  private void waitForStoppedHandler(AttemptHandle handle, TaskSpec spec, UUID jobId) {
    Duration grace = config.stopGrace();
    try {
      handle.result().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      attempts.abandoned();
      LOG.errorf(
          "job=%s task=%s handler ignored its stop request for %s; its thread is abandoned and its slot reclaimed",
          jobId, spec.name(), grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Expected: a stopped handler usually ends by throwing.
    }
    // Publishing the outcome must not see an interrupt meant for the handler.
    Thread.interrupted();
  }

  private JobEvent stopped(StopReason reason, TaskSpec spec, UUID jobId, int attempt) {
    String errorId = UUID.randomUUID().toString();
    return switch (reason) {
      case CANCELED -> {
        LOG.infof("job=%s attempt=%d canceled while running", jobId, attempt);
        yield JobEvent.canceled(jobId, attempt, worker.id(), clock.instant());
      }
      case TIMEOUT -> {
        LOG.warnf(
            "job=%s attempt=%d timed out after %ds errorId=%s",
            jobId, attempt, spec.timeoutSeconds(), errorId);
        yield JobEvent.failed(
            jobId,
            attempt,
            worker.id(),
            clock.instant(),
            new JobError(
                ErrorCodes.TIMEOUT,
                "the attempt ran longer than its timeout of " + spec.timeoutSeconds() + "s",
                true,
                errorId));
      }
      case SHUTDOWN -> {
        LOG.infof("job=%s attempt=%d stopped by worker shutdown", jobId, attempt);
        yield JobEvent.failed(
            jobId,
            attempt,
            worker.id(),
            clock.instant(),
            new JobError(
                ErrorCodes.WORKER_SHUTDOWN,
                "the worker shut down before the attempt finished",
                true,
                errorId));
      }
    };
  }

  private JobEvent failure(Throwable cause, TaskSpec spec, UUID jobId, int attempt) {
    if (cause instanceof TaskFailure failure) {
      JobError error =
          new JobError(
              failure.code(),
              truncate(failure.getMessage()),
              failure.retryable(),
              UUID.randomUUID().toString());
      LOG.infof(
          "job=%s task=%s attempt=%d failed code=%s retryable=%s errorId=%s: %s",
          jobId,
          spec.name(),
          attempt,
          error.code(),
          error.retryable(),
          error.errorId(),
          failure.getMessage());
      return JobEvent.failed(jobId, attempt, worker.id(), clock.instant(), error);
    }
    String errorId = UUID.randomUUID().toString();
    LOG.errorf(
        cause,
        "job=%s task=%s attempt=%d failed unexpectedly errorId=%s",
        jobId,
        spec.name(),
        attempt,
        errorId);
    return JobEvent.failed(
        jobId,
        attempt,
        worker.id(),
        clock.instant(),
        new JobError(
            ErrorCodes.INTERNAL,
            truncate(cause.getClass().getSimpleName() + ": " + cause.getMessage()),
            true,
            errorId));
  }

  private static Throwable unwrap(CompletableFuture<JsonNode> result) {
    try {
      result.join();
      return new IllegalStateException("handler returned no outcome");
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    }
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

  private static String truncate(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
  }
}
