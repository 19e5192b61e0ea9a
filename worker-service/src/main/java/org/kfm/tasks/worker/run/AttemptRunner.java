package org.kfm.tasks.worker.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * Runs one attempt of one job on the calling (pool) thread: reports start, runs the handler under
 * its task's limit and timeout, and reports the outcome. It returns only once the outcome is
 * acknowledged by Kafka; the caller then acknowledges the command.
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
  private final MeterRegistry meters;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timeouts =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "attempt-timeouts");
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
      MeterRegistry meters) {
    this.catalog = catalog;
    this.registry = registry;
    this.limits = limits;
    this.events = events;
    this.worker = worker;
    this.config = config;
    this.meters = meters;
  }

  /**
   * @throws MalformedRecordException when the command names a task this worker cannot run from this
   *     topic; the record belongs in the DLQ
   */
  public void run(TaskCommand command, ConcurrencyClass topicClass) {
    TaskSpec spec =
        catalog
            .find(command.task())
            .map(TaskCatalog.Entry::spec)
            .orElseThrow(() -> new MalformedRecordException("unknown task " + command.task()));
    if (spec.concurrencyClass() != topicClass) {
      throw new MalformedRecordException(
          "task " + spec.name() + " belongs to " + spec.queue() + ", not " + topicClass.wireName());
    }
    TaskHandler handler =
        registry
            .handlerFor(spec.name())
            .orElseThrow(() -> new MalformedRecordException("no handler for task " + spec.name()));
    MDC.put("jobId", command.jobId().toString());
    MDC.put("task", spec.name());
    MDC.put("attempt", String.valueOf(command.attempt()));
    try {
      limits.acquire(spec);
      try {
        execute(command, spec, handler);
      } finally {
        limits.release(spec);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a slot of " + spec.name(), e);
    } finally {
      MDC.remove("jobId");
      MDC.remove("task");
      MDC.remove("attempt");
    }
  }

  private void execute(TaskCommand command, TaskSpec spec, TaskHandler handler) {
    UUID jobId = command.jobId();
    int attempt = command.attempt();
    AttemptContext context =
        new AttemptContext(
            command,
            spec,
            progress ->
                events.sendProgress(
                    JobEvent.progress(jobId, attempt, worker.id(), clock.instant(), progress)),
            config.progressInterval().toMillis(),
            clock);
    events.sendFinal(JobEvent.started(jobId, attempt, worker.id(), clock.instant()));
    LOG.infof("job=%s task=%s attempt=%d started", jobId, spec.name(), attempt);

    Thread runner = Thread.currentThread();
    ScheduledFuture<?> timeout =
        timeouts.schedule(
            () -> {
              context.stop("TIMEOUT");
              runner.interrupt();
            },
            spec.timeoutSeconds(),
            TimeUnit.SECONDS);
    Timer.Sample sample = Timer.start(meters);
    JobEvent outcome;
    try {
      JsonNode result = handler.run(context);
      outcome =
          context.stopReason() == null
              ? JobEvent.succeeded(jobId, attempt, worker.id(), clock.instant(), result)
              : stopped(context, jobId, attempt);
    } catch (TaskFailure failure) {
      outcome =
          JobEvent.failed(
              jobId,
              attempt,
              worker.id(),
              clock.instant(),
              new JobError(
                  failure.code(),
                  truncate(failure.getMessage()),
                  failure.retryable(),
                  UUID.randomUUID().toString()));
      LOG.infof(
          "job=%s task=%s attempt=%d failed code=%s retryable=%s errorId=%s: %s",
          jobId,
          spec.name(),
          attempt,
          failure.code(),
          failure.retryable(),
          outcome.error().errorId(),
          failure.getMessage());
    } catch (Exception | StackOverflowError e) {
      if (context.stopReason() != null) {
        outcome = stopped(context, jobId, attempt);
      } else {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(
            e,
            "job=%s task=%s attempt=%d failed unexpectedly errorId=%s",
            jobId,
            spec.name(),
            attempt,
            errorId);
        outcome =
            JobEvent.failed(
                jobId,
                attempt,
                worker.id(),
                clock.instant(),
                new JobError(
                    "INTERNAL",
                    truncate(e.getClass().getSimpleName() + ": " + e.getMessage()),
                    true,
                    errorId));
      }
    } finally {
      timeout.cancel(false);
      // A timeout may have interrupted us after the handler returned; publishing must not see it.
      Thread.interrupted();
    }
    String outcomeTag =
        outcome.type() == org.kfm.tasks.contracts.JobEventType.SUCCEEDED
            ? "succeeded"
            : outcome.error().code().toLowerCase();
    sample.stop(
        Timer.builder("kfm.task.duration")
            .description("handler run time per attempt")
            .tag("task", spec.name())
            .tag("outcome", outcomeTag)
            .publishPercentileHistogram()
            .register(meters));
    events.sendFinal(outcome);
    if (outcome.type() == org.kfm.tasks.contracts.JobEventType.SUCCEEDED) {
      LOG.infof("job=%s task=%s attempt=%d succeeded", jobId, spec.name(), attempt);
    }
  }

  private JobEvent stopped(AttemptContext context, UUID jobId, int attempt) {
    String errorId = UUID.randomUUID().toString();
    LOG.warnf(
        "job=%s attempt=%d stopped: %s errorId=%s", jobId, attempt, context.stopReason(), errorId);
    return JobEvent.failed(
        jobId,
        attempt,
        worker.id(),
        clock.instant(),
        new JobError(
            context.stopReason(),
            "the attempt ran longer than its timeout of " + context.spec().timeoutSeconds() + "s",
            true,
            errorId));
  }

  private static String truncate(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
  }
}
