package org.kfm.tasks.worker.run;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;
import org.kfm.tasks.contracts.Redactor;

/**
 * Masks secrets in every log line before a handler writes it, text or JSON: the line's formatted
 * message and every message in its exception's cause chain lose credential-shaped text and, when
 * the line belongs to an attempt running here (its MDC names the job and attempt), the values of
 * that job's redacted params. So a task handler's own lines are redacted like the runner's,
 * whatever logger it uses. The record is rewritten in place, so every handler after the console's
 * sees the masked text too. Lines with nothing to mask are left as they are.
 */
@LoggingFilter(name = RedactingLogFilter.NAME)
public final class RedactingLogFilter implements Filter {
  /** The name {@code quarkus.log.console.filter} refers to. */
  public static final String NAME = "kfm-redact";

  private static final Formatter PLAIN = new SimpleFormatter();

  @Override
  public boolean isLoggable(LogRecord record) {
    redact(record);
    return true;
  }

  static void redact(LogRecord record) {
    Redactor redactor = redactorOf(record);
    String message = messageOf(record);
    String shown = redactor.text(message);
    if (shown != null && !shown.equals(message)) {
      if (record instanceof ExtLogRecord ext) {
        ext.setMessage(shown, ExtLogRecord.FormatStyle.NO_FORMAT);
      } else {
        record.setMessage(shown);
      }
      record.setParameters(null);
    }
    Throwable thrown = record.getThrown();
    if (thrown != null && revealsSomething(thrown, redactor)) {
      record.setThrown(redactor.throwable(thrown));
    }
  }

  private static Redactor redactorOf(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      return JobLogSecrets.forLine(ext.getMdc("jobId"), ext.getMdc("attempt"));
    }
    return Redactor.patternsOnly();
  }

  private static String messageOf(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      return ext.getFormattedMessage();
    }
    return PLAIN.formatMessage(record);
  }

  /** Whether any message in the cause chain has something to mask. */
  private static boolean revealsSomething(Throwable thrown, Redactor redactor) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth < 64; t = t.getCause(), depth++) {
      String message = t.getMessage();
      if (message != null && !message.equals(redactor.text(message))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
