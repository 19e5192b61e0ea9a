package org.kfm.tasks.worker.tasks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-30T14:00:00Z");
  private static final Duration CAP = Duration.ofMinutes(15);

  @Test
  void secondsAreAWaitFromNow() {
    assertThat(RetryAfter.parse("120", NOW, CAP)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 7 ", NOW, CAP)).contains(Duration.ofSeconds(7));
  }

  @Test
  void anHttpDateIsTheTimeToWaitUntil() {
    assertThat(RetryAfter.parse("Mon, 30 Nov 2026 14:02:30 GMT", NOW, CAP))
        .contains(Duration.ofSeconds(150));
  }

  @Test
  void aWaitLongerThanTheCapIsCut() {
    assertThat(RetryAfter.parse("86400", NOW, CAP)).contains(CAP);
    assertThat(RetryAfter.parse("99999999999999999999", NOW, CAP)).contains(CAP);
    assertThat(RetryAfter.parse("Tue, 01 Dec 2026 14:00:00 GMT", NOW, CAP)).contains(CAP);
  }

  @Test
  void nothingUsableMeansNoWait() {
    assertThat(RetryAfter.parse(null, NOW, CAP)).isEmpty();
    assertThat(RetryAfter.parse("", NOW, CAP)).isEmpty();
    assertThat(RetryAfter.parse("0", NOW, CAP)).isEmpty();
    assertThat(RetryAfter.parse("-5", NOW, CAP)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW, CAP)).isEmpty();
    assertThat(RetryAfter.parse("Mon, 30 Nov 2026 13:00:00 GMT", NOW, CAP)).isEmpty();
  }
}
