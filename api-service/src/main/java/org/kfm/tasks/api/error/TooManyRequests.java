package org.kfm.tasks.api.error;

import java.time.Duration;
import java.util.List;

/** A refusal for now, not for good: answered 429 with how long to wait in {@code Retry-After}. */
public class TooManyRequests extends ApiProblem {
  private final Duration retryAfter;

  public TooManyRequests(String detail, Duration retryAfter) {
    super(429, "Too many requests", detail, List.of());
    this.retryAfter = retryAfter;
  }

  /** Whole seconds, at least one: the header has no finer unit. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
