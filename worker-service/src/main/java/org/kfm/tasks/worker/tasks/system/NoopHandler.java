package org.kfm.tasks.worker.tasks.system;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;

/**
 * {@code system.noop}: measures the platform itself. It can sleep (cooperatively) and fail its
 * first attempts on request, to exercise retries end to end.
 */
@ApplicationScoped
public class NoopHandler implements TaskHandler {

  @Override
  public String task() {
    return "system.noop";
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    int failFirst = context.params().path("fail_first_attempts").asInt(0);
    if (context.attempt() <= failFirst) {
      throw TaskFailure.transientFailure(
          "INJECTED_FAILURE",
          "attempt " + context.attempt() + " of " + failFirst + " asked to fail");
    }
    long sleepMs = context.params().path("sleep_ms").asLong(0);
    if (context.params().path("ignore_stop").asBoolean(false)) {
      sleepIgnoringStops(sleepMs);
      return Wire.mapper().createObjectNode().put("attempt", context.attempt());
    }
    long until = System.currentTimeMillis() + sleepMs;
    while (System.currentTimeMillis() < until && !context.isCancelled()) {
      Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
      context.progress(
          1 - (double) (until - System.currentTimeMillis()) / Math.max(1, sleepMs), "sleeping");
    }
    return Wire.mapper()
        .createObjectNode()
        .put("attempt", context.attempt())
        .put("jobId", context.jobId().toString());
  }

  /** Deliberately misbehaves: neither the context nor an interrupt ends this sleep early. */
  private static void sleepIgnoringStops(long sleepMs) {
    long until = System.currentTimeMillis() + sleepMs;
    while (System.currentTimeMillis() < until) {
      try {
        Thread.sleep(Math.max(1, until - System.currentTimeMillis()));
      } catch (InterruptedException ignored) {
        // Swallowed on purpose.
      }
    }
  }
}
