package org.kfm.tasks.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log record the service writes while installed, kept as the service would print it: the
 * formatted message, its MDC and its stack trace. Installed on the root logger of the application
 * the test runs in, so it sees what the console and a log file see.
 */
public final class CapturedLogs extends Handler implements AutoCloseable {
  private final List<Line> lines = new ArrayList<>();

  /** One record: its level, message, log context and stack trace (empty when none). */
  public record Line(
      String level, String logger, String message, Map<String, String> mdc, String thrown) {
    /** Everything the line would put in a log file, for searching. */
    public String text() {
      return level + " " + logger + " " + message + " " + mdc + " " + thrown;
    }
  }

  private CapturedLogs() {}

  public static CapturedLogs install() {
    CapturedLogs logs = new CapturedLogs();
    Logger.getLogger("").addHandler(logs);
    return logs;
  }

  @Override
  public void publish(LogRecord record) {
    String message;
    Map<String, String> mdc;
    if (record instanceof ExtLogRecord ext) {
      message = ext.getFormattedMessage();
      mdc = ext.getMdcCopy();
    } else {
      message = String.valueOf(record.getMessage());
      mdc = Map.of();
    }
    String thrown = "";
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      thrown = trace.toString();
    }
    Line line =
        new Line(
            record.getLevel().getName(), record.getLoggerName(), message, Map.copyOf(mdc), thrown);
    synchronized (lines) {
      lines.add(line);
    }
  }

  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
