package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static TaskSpec.Retries policy(TaskSpec.BackoffKind kind, boolean jitter) {
    return new TaskSpec.Retries(5, kind, 2, 30, jitter);
  }

  @Test
  void exponentialDoublesPerRetryUntilTheCap() {
    var p = policy(TaskSpec.BackoffKind.EXPONENTIAL, false);
    assertThat(Backoff.delayBefore(2, p, () -> 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delayBefore(3, p, () -> 0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Backoff.delayBefore(4, p, () -> 0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Backoff.delayBefore(6, p, () -> 0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.delayBefore(200, p, () -> 0)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void fixedKeepsTheInitialDelay() {
    var p = policy(TaskSpec.BackoffKind.FIXED, false);
    assertThat(Backoff.delayBefore(5, p, () -> 0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterStaysBetweenHalfAndAllOfTheDelay() {
    var p = policy(TaskSpec.BackoffKind.EXPONENTIAL, true);
    assertThat(Backoff.delayBefore(3, p, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delayBefore(3, p, () -> 0.999999)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Backoff.delayBefore(3, p, () -> 0.5)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theFirstAttemptHasNoBackoff() {
    assertThatThrownBy(
            () -> Backoff.delayBefore(1, policy(TaskSpec.BackoffKind.FIXED, false), () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
