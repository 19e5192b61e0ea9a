package org.kfm.tasks.api.well;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread of its own that runs a watch's refresh at once and then at a fixed delay, so a
 * slow read (database or broker) delays only the next reading, never a scrape or a request.
 */
final class Refresher {
  private final ScheduledExecutorService timer;

  private Refresher(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static Refresher start(String threadName, Duration every, Runnable refresh) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return new Refresher(timer);
  }

  void stop() {
    timer.shutdownNow();
  }
}
