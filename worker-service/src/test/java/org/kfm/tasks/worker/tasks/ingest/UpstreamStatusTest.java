package org.kfm.tasks.worker.tasks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfm.tasks.contracts.TaskFailure;

/** What each upstream status means for the pull, read as a table. */
class UpstreamStatusTest {
  private static final URI URL = URI.create("http://upstream/gridpoints/TOP/31,80/forecast");
  private static final Instant NOW = Instant.parse("2026-11-30T14:00:00Z");

  @ParameterizedTest(name = "{0} conditional={1} Retry-After={2} -> {3} {4} {5}")
  @CsvSource(
      nullValues = "-",
      value = {
        // status conditional retryAfter | code                 retryable  waitSeconds
        "200, false, -,   -,                    -,     -",
        "304, true,  -,   -,                    -,     -",
        "304, false, -,   UPSTREAM_REJECTED,    false, -",
        "429, false, -,   UPSTREAM_THROTTLED,   true,  -",
        "429, false, 120, UPSTREAM_THROTTLED,   true,  120",
        "429, true,  Mon 30 Nov 2026, UPSTREAM_THROTTLED, true, -",
        "500, false, -,   UPSTREAM_UNAVAILABLE, true,  -",
        "503, false, 30,  UPSTREAM_UNAVAILABLE, true,  30",
        "503, false, 99999, UPSTREAM_UNAVAILABLE, true, 900",
        "400, false, -,   UPSTREAM_REJECTED,    false, -",
        "404, false, 60,  UPSTREAM_REJECTED,    false, -",
        "301, false, -,   UPSTREAM_REJECTED,    false, -",
        "204, false, -,   UPSTREAM_REJECTED,    false, -",
      })
  void eachStatusMeansWhatTheTableSays(
      int status,
      boolean conditional,
      String retryAfter,
      String code,
      Boolean retryable,
      Long waitSeconds) {
    Optional<TaskFailure> failure =
        ForecastClient.failureFor(
            status, conditional, retryAfter, URL, NOW, Duration.ofMinutes(15));

    if (code == null) {
      assertThat(failure).isEmpty();
      return;
    }
    assertThat(failure).isPresent();
    assertThat(failure.get().code()).isEqualTo(code);
    assertThat(failure.get().retryable()).isEqualTo(retryable);
    assertThat(failure.get().getMessage()).contains("HTTP " + status).contains(URL.toString());
    assertThat(failure.get().retryAfter().map(Duration::toSeconds).orElse(null))
        .isEqualTo(waitSeconds);
  }
}
