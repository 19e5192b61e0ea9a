package org.kfm.tasks.worker.run;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobErrors;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * The final event of an attempt, and the log line that goes with it: its handler returned, threw or
 * was stopped, or it never ran because its deadline had passed. A failure's log line carries the
 * errorId its event carries, so an operator holding the event finds the line.
 */
@Singleton
final class AttemptOutcomes {
  private static final Logger LOG = Logger.getLogger(AttemptOutcomes.class);

  private final WorkerIdentity worker;
  private final Clock clock = Clock.systemUTC();

  AttemptOutcomes(WorkerIdentity worker) {
    this.worker = worker;
  }

  /** A command whose deadline passed before it started; nothing ran. */
  JobEvent expired(TaskCommand command) {
    LOG.infof(
        "job=%s attempt=%d not run: its deadline %s has passed",
        command.jobId(), command.attempt(), command.deadline());
    return JobEvent.expired(command.jobId(), command.attempt(), worker.id(), clock.instant());
  }

  /** Call once the handler ended or was given up on; a stop wins over whatever it returned. */
  JobEvent of(AttemptHandle handle, TaskSpec spec, UUID jobId, int attempt) {
    Redactor redactor = handle.context().redactor();
    CompletableFuture<JsonNode> result = handle.result();
    StopReason stop = handle.stopped().getNow(null);
    if (result.isDone() && !result.isCompletedExceptionally() && stop == null) {
      return JobEvent.succeeded(
          jobId,
          attempt,
          worker.id(),
          clock.instant(),
          result.join(),
          handle.context().artifacts());
    }
    if (stop != null) {
      return stopped(stop, spec, jobId, attempt);
    }
    return failed(unwrap(result), spec, jobId, attempt, redactor);
  }

  private JobEvent stopped(StopReason reason, TaskSpec spec, UUID jobId, int attempt) {
    return switch (reason) {
      case CANCELED -> {
        LOG.infof("job=%s attempt=%d canceled while running", jobId, attempt);
        yield JobEvent.canceled(jobId, attempt, worker.id(), clock.instant());
      }
      case TIMEOUT -> {
        JobError error = JobErrors.timeout(spec.timeout());
        LOG.warnf(
            "job=%s attempt=%d timed out after %ds errorId=%s",
            jobId, attempt, spec.timeoutSeconds(), error.errorId());
        yield failed(jobId, attempt, error);
      }
      case SHUTDOWN -> {
        LOG.infof("job=%s attempt=%d stopped by worker shutdown", jobId, attempt);
        yield failed(jobId, attempt, JobErrors.workerShutdown());
      }
    };
  }

  /**
   * A failure's message may quote an upstream or an exception that saw the params: both the event
   * and the log line get it redacted, the stack trace too.
   */
  private JobEvent failed(
      Throwable cause, TaskSpec spec, UUID jobId, int attempt, Redactor redactor) {
    if (cause instanceof TaskFailure failure) {
      JobError error = redactor.error(JobErrors.handlerFailure(failure, clock.instant()));
      LOG.infof(
          "job=%s task=%s attempt=%d failed code=%s retryable=%s%s errorId=%s: %s",
          jobId,
          spec.name(),
          attempt,
          error.code(),
          error.retryable(),
          error.retryNotBefore() == null ? "" : " retryNotBefore=" + error.retryNotBefore(),
          error.errorId(),
          error.message());
      return failed(jobId, attempt, error);
    }
    JobError error = redactor.error(JobErrors.internal(cause));
    LOG.errorf(
        redactor.throwable(cause),
        "job=%s task=%s attempt=%d failed unexpectedly errorId=%s",
        jobId,
        spec.name(),
        attempt,
        error.errorId());
    return failed(jobId, attempt, error);
  }

  private JobEvent failed(UUID jobId, int attempt, JobError error) {
    return JobEvent.failed(jobId, attempt, worker.id(), clock.instant(), error);
  }

  private static Throwable unwrap(CompletableFuture<JsonNode> result) {
    try {
      result.join();
      return new IllegalStateException("handler returned no outcome");
    } catch (CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    }
  }
}
