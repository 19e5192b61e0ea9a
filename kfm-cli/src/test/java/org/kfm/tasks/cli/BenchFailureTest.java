package org.kfm.tasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpTimeoutException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class BenchFailureTest {
  @Test
  void aFailureIsOneLineSayingWhatHappened() {
    assertThat(
            BenchCommand.reason(
                new ExecutionException(new HttpTimeoutException("request timed out"))))
        .isEqualTo("an API request timed out (request timed out)");
    assertThat(BenchCommand.reason(new IllegalStateException("only 10 of 20 jobs ended in time")))
        .isEqualTo("only 10 of 20 jobs ended in time");
    assertThat(BenchCommand.reason(new NullPointerException())).isEqualTo("NullPointerException");
  }
}
