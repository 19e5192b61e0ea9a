package org.kfm.tasks.worker.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;
import org.kfm.tasks.contracts.Wire;

/** What the log filter leaves of a line before any handler writes it. */
class RedactingLogFilterTest {
  private static final TaskSpec FORECAST =
      TaskCatalog.fromClasspath().find("ingest.noaa_forecast").orElseThrow().spec();
  private static final String SECRET = "s3cr3t-" + UUID.randomUUID();

  private final RedactingLogFilter filter = new RedactingLogFilter();

  @Test
  void aLineOfARunningAttemptLosesItsJobsSecretValueWhereverItStands() {
    UUID jobId = UUID.randomUUID();
    ExtLogRecord line = lineOf(jobId, 2, "asking the upstream as %s", SECRET);
    line.setThrown(new IllegalStateException("wrapped", new IOException("refused " + SECRET)));

    JobLogSecrets.Registration secrets = JobLogSecrets.register(jobId, 2, redactorWith(SECRET));
    try {
      assertThat(filter.isLoggable(line)).isTrue();
    } finally {
      secrets.close();
    }

    assertThat(line.getFormattedMessage()).isEqualTo("asking the upstream as [REDACTED]");
    assertThat(stackTraceOf(line.getThrown()))
        .doesNotContain(SECRET)
        .contains("java.io.IOException: refused [REDACTED]")
        .contains("RedactingLogFilterTest");
  }

  @Test
  void onceItsAttemptEndedALineIsMaskedByPatternOnly() {
    UUID jobId = UUID.randomUUID();
    JobLogSecrets.register(jobId, 1, redactorWith(SECRET)).close();
    ExtLogRecord late =
        lineOf(jobId, 1, "value %s, header Authorization: Bearer %s", SECRET, "abc.def-ghi");

    filter.isLoggable(late);

    assertThat(late.getFormattedMessage())
        .isEqualTo("value " + SECRET + ", header Authorization: Bearer [REDACTED]");
  }

  @Test
  void aLineOutsideAnyAttemptLosesCredentialShapedText() {
    ExtLogRecord line =
        new ExtLogRecord(
            Level.WARNING, "connecting to %s", ExtLogRecord.FormatStyle.PRINTF, "caller");
    line.setParameters(new Object[] {"https://ops:hunter22@db.example/x?sig=abcdef"});

    filter.isLoggable(line);

    assertThat(line.getFormattedMessage())
        .isEqualTo("connecting to https://[REDACTED]@db.example/x?sig=[REDACTED]");
  }

  @Test
  void aLineWithNothingToMaskIsLeftAsItWas() {
    ExtLogRecord line = lineOf(UUID.randomUUID(), 1, "stored %d periods", 14);
    IOException cause = new IOException("upstream closed the connection");
    line.setThrown(cause);

    filter.isLoggable(line);

    assertThat(line.getFormatStyle()).isEqualTo(ExtLogRecord.FormatStyle.PRINTF);
    assertThat(line.getParameters()).containsExactly(14);
    assertThat(line.getThrown()).isSameAs(cause);
  }

  private static ExtLogRecord lineOf(UUID jobId, int attempt, String format, Object... parameters) {
    ExtLogRecord line =
        new ExtLogRecord(Level.INFO, format, ExtLogRecord.FormatStyle.PRINTF, "caller");
    line.setParameters(parameters);
    line.putMdc("jobId", jobId.toString());
    line.putMdc("attempt", String.valueOf(attempt));
    return line;
  }

  private static Redactor redactorWith(String token) {
    return Redactor.forJob(
        FORECAST,
        Wire.fromJson(
            "{\"office\":\"TOP\",\"auth_token\":\"" + token + "\"}",
            com.fasterxml.jackson.databind.JsonNode.class));
  }

  private static String stackTraceOf(Throwable thrown) {
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
