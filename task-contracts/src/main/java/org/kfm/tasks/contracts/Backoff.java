package org.kfm.tasks.contracts;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Delay before a retry, from a task's retry policy. */
public final class Backoff {
  private Backoff() {}

  /**
   * Delay before attempt {@code nextAttempt} (2 for the first retry). Exponential doubles the
   * initial delay per retry, fixed keeps it; both are capped at the maximum. With jitter the delay
   * is drawn uniformly from [delay/2, delay] ("equal jitter"), which spreads a burst of retries
   * without ever retrying much earlier than the policy says.
   *
   * @param random a source of uniform values in [0, 1)
   */
  public static Duration delayBefore(
      int nextAttempt, TaskSpec.Retries policy, DoubleSupplier random) {
    if (nextAttempt < 2) {
      throw new IllegalArgumentException("the first retry is attempt 2, got " + nextAttempt);
    }
    double initialMs = policy.initialDelaySeconds() * 1000.0;
    double capMs = policy.maxDelaySeconds() * 1000.0;
    double delayMs =
        switch (policy.backoff()) {
          case FIXED -> initialMs;
          case EXPONENTIAL -> initialMs * Math.pow(2, Math.min(nextAttempt - 2, 62));
        };
    delayMs = Math.min(delayMs, capMs);
    if (policy.jitter()) {
      delayMs = delayMs / 2 + random.getAsDouble() * delayMs / 2;
    }
    return Duration.ofMillis(Math.round(delayMs));
  }
}
