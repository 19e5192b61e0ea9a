package org.kfm.tasks.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronSlotsTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void fiveFieldsAreUnixCronToTheMinute() {
    CronSlots nightly = CronSlots.of("30 2 * * *", UTC);
    assertThat(nightly.nextAfter(Instant.parse("2026-03-01T10:00:00Z")))
        .contains(Instant.parse("2026-03-02T02:30:00Z"));
  }

  @Test
  void sixFieldsAreQuartzWithSeconds() {
    CronSlots everyTwoSeconds = CronSlots.of("*/2 * * * * ?", UTC);
    assertThat(everyTwoSeconds.nextAfter(Instant.parse("2026-03-01T10:00:00.500Z")))
        .contains(Instant.parse("2026-03-01T10:00:02Z"));
    assertThat(everyTwoSeconds.nextAfter(Instant.parse("2026-03-01T10:00:02.250Z")))
        .contains(Instant.parse("2026-03-01T10:00:04Z"));
  }

  @Test
  void slotsFollowTheTimeZoneAcrossDaylightSaving() {
    // 02:30 on 29 March 2026 does not exist in Berlin; 01:30 local is 00:30 UTC before the change
    // and 23:30 UTC the day after it.
    CronSlots berlin = CronSlots.of("30 1 * * *", ZoneId.of("Europe/Berlin"));
    assertThat(berlin.nextAfter(Instant.parse("2026-03-28T12:00:00Z")))
        .contains(Instant.parse("2026-03-29T00:30:00Z"));
    assertThat(berlin.nextAfter(Instant.parse("2026-03-29T12:00:00Z")))
        .contains(Instant.parse("2026-03-29T23:30:00Z"));
  }

  @Test
  void theParsersMessageExplainsAnInvalidExpression() {
    assertThatThrownBy(() -> CronSlots.of("61 * * * *", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("61");
    assertThatThrownBy(() -> CronSlots.of("* * *", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 5 fields");
  }
}
