package org.kfm.tasks.contracts;

import java.time.Duration;
import java.util.Optional;

/** A handler's way to fail with a stable error code and say whether retrying can help. */
public class TaskFailure extends RuntimeException {
  private final String code;
  private final boolean retryable;
  private final Duration retryAfter;

  public TaskFailure(String code, String message, boolean retryable) {
    this(code, message, retryable, null);
  }

  private TaskFailure(String code, String message, boolean retryable, Duration retryAfter) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public static TaskFailure permanent(String code, String message) {
    return new TaskFailure(code, message, false);
  }

  public static TaskFailure transientFailure(String code, String message) {
    return new TaskFailure(code, message, true);
  }

  /**
   * Retryable, but not before {@code retryAfter} from now: an upstream said when to come back (HTTP
   * {@code Retry-After}). The next attempt waits for the later of this and the policy's backoff.
   */
  public static TaskFailure retryableAfter(String code, String message, Duration retryAfter) {
    if (retryAfter == null || retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be zero or positive");
    }
    return new TaskFailure(code, message, true, retryAfter);
  }

  /**
   * The same failure with more said after its message (what an upstream answered, for example). The
   * text may hold anything the upstream chose to send: the worker redacts it before it is logged or
   * reported.
   */
  public TaskFailure withDetail(String detail) {
    if (detail == null || detail.isBlank()) {
      return this;
    }
    return new TaskFailure(code, getMessage() + ": " + detail, retryable, retryAfter);
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  /** How long from the failure the next attempt must wait at least, when an upstream said so. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
