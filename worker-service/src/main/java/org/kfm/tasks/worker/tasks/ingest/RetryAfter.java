package org.kfm.tasks.worker.tasks.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. It comes
 * from the upstream, so it is read defensively: garbage and dates in the past mean "no wait asked",
 * and a wait longer than the cap is cut to the cap.
 */
final class RetryAfter {
  private RetryAfter() {}

  static Optional<Duration> parse(String header, Instant now, Duration cap) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    Duration wait;
    if (value.chars().allMatch(Character::isDigit)) {
      // Longer than any cap; also keeps Long.parseLong from overflowing.
      wait = value.length() > 9 ? cap : Duration.ofSeconds(Long.parseLong(value));
    } else {
      try {
        wait =
            Duration.between(
                now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (wait.isNegative() || wait.isZero()) {
      return Optional.empty();
    }
    return Optional.of(wait.compareTo(cap) > 0 ? cap : wait);
  }
}
