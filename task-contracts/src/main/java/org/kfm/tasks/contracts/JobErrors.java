package org.kfm.tasks.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.JobEvent.JobError;

/**
 * The errors the platform itself reports, one shape per reason, whichever service concludes it: a
 * client reading an expired job sees the same error whether a worker, the dispatcher or the
 * watchdog noticed the deadline.
 */
public final class JobErrors {
  private static final int MAX_MESSAGE = 500;

  private JobErrors() {}

  /** The job's deadline passed before any attempt started; never retried. */
  public static JobError expired() {
    return new JobError(ErrorCodes.EXPIRED, "not started before its deadline", false, null);
  }

  /** No heartbeat within the lease: the worker died or was cut off; another attempt may follow. */
  public static JobError lost(Duration lease) {
    return new JobError(
        ErrorCodes.LOST,
        "no heartbeat for " + lease.toSeconds() + "s; the worker is gone",
        true,
        newErrorId());
  }

  /** The attempt ran longer than its task's timeout. */
  public static JobError timeout(Duration timeout) {
    return new JobError(
        ErrorCodes.TIMEOUT,
        "the attempt ran longer than its timeout of " + timeout.toSeconds() + "s",
        true,
        newErrorId());
  }

  /** The worker shut down under the attempt; the next attempt does not count against the job. */
  public static JobError workerShutdown() {
    return new JobError(
        ErrorCodes.WORKER_SHUTDOWN,
        "the worker shut down before the attempt finished",
        true,
        newErrorId());
  }

  /**
   * A handler reported a failure it understands, with its own code; one that named a wait before
   * the retry gets it as {@code retryNotBefore}, counted from {@code at}.
   */
  public static JobError handlerFailure(TaskFailure failure, Instant at) {
    return new JobError(
        failure.code(),
        truncate(failure.getMessage()),
        failure.retryable(),
        newErrorId(),
        failure.retryable() ? failure.retryAfter().map(at::plus).orElse(null) : null);
  }

  /**
   * A handler threw something it did not mean to: retried, and its stack trace stays in the log.
   */
  public static JobError internal(Throwable cause) {
    return new JobError(
        ErrorCodes.INTERNAL,
        truncate(cause.getClass().getSimpleName() + ": " + cause.getMessage()),
        true,
        newErrorId());
  }

  /** Whether the attempt that ended with {@code error} was stopped by its worker's shutdown. */
  public static boolean isWorkerShutdown(JobError error) {
    return error != null && ErrorCodes.WORKER_SHUTDOWN.equals(error.code());
  }

  private static String newErrorId() {
    return UUID.randomUUID().toString();
  }

  private static String truncate(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
  }
}
