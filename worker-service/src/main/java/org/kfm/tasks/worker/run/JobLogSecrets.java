package org.kfm.tasks.worker.run;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.kfm.tasks.contracts.Redactor;

/**
 * The redactor of each attempt running in this process, found by the job and attempt a log line
 * carries in its MDC ({@code jobId}, {@code attempt}): the log filter has the line, not the
 * attempt. Static because the logging system builds its filters before any bean exists.
 */
final class JobLogSecrets {
  private static final Map<String, Redactor> RUNNING = new ConcurrentHashMap<>();

  private JobLogSecrets() {}

  /** Lines of this attempt lose its secrets until the registration is closed. */
  static Registration register(UUID jobId, int attempt, Redactor redactor) {
    String key = key(jobId.toString(), String.valueOf(attempt));
    RUNNING.put(key, redactor);
    return () -> RUNNING.remove(key, redactor);
  }

  /**
   * The redactor of the attempt a line names, or the patterns-only one: credential-shaped text is
   * masked on every line, a job's own values only while its attempt runs here.
   */
  static Redactor forLine(String jobId, String attempt) {
    if (jobId == null || attempt == null) {
      return Redactor.patternsOnly();
    }
    return RUNNING.getOrDefault(key(jobId, attempt), Redactor.patternsOnly());
  }

  private static String key(String jobId, String attempt) {
    return jobId + "#" + attempt;
  }

  /** Closing it forgets the attempt's secrets. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
