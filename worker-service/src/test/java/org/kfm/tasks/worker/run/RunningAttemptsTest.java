package org.kfm.tasks.worker.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunningAttemptsTest {
  private final RunningAttempts attempts = new RunningAttempts(new SimpleMeterRegistry());
  private final UUID job = UUID.randomUUID();

  @Test
  void aCancelCoversItsAttemptAndEarlierOnesButNotARetry() {
    attempts.cancel(job, 2);

    assertThat(attempts.wasCanceled(job, 1)).isTrue();
    assertThat(attempts.wasCanceled(job, 2)).isTrue();
    assertThat(attempts.wasCanceled(job, 3)).isFalse();
    assertThat(attempts.wasCanceled(UUID.randomUUID(), 1)).isFalse();
  }

  @Test
  void aCancelThatNamesNoAttemptMeansTheFirstWhenNothingRunsHereAndNeverLowersALaterOne() {
    attempts.cancel(job, 0);
    assertThat(attempts.wasCanceled(job, 1)).isTrue();
    assertThat(attempts.wasCanceled(job, 2)).isFalse();

    attempts.cancel(job, 3);
    attempts.cancel(job, 0);
    assertThat(attempts.wasCanceled(job, 3)).isTrue();
    assertThat(attempts.wasCanceled(job, 4)).isFalse();
  }
}
