package org.kfm.tasks.worker.run;

import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timed reports of running attempts, all on one thread: the delayed start report and the
 * heartbeat.
 */
@Singleton
final class AttemptTimers {
  private final WorkerConfig config;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "attempt-timers");
            t.setDaemon(true);
            return t;
          });

  AttemptTimers(WorkerConfig config) {
    this.config = config;
  }

  /** Starts both timers of one attempt; closing the result cancels them. */
  Running start(AttemptReports reports) {
    // An attempt shorter than the delay reports its start in its outcome only: one event, not two.
    long startDelay = config.startReportDelay().toMillis();
    ScheduledFuture<?> startReport = null;
    if (startDelay <= 0) {
      reports.start();
    } else {
      startReport = timers.schedule(reports::start, startDelay, TimeUnit.MILLISECONDS);
    }
    long beat = config.heartbeatInterval().toMillis();
    ScheduledFuture<?> heartbeat =
        timers.scheduleAtFixedRate(reports::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    return new Running(startReport, heartbeat);
  }

  /** One attempt's timers; the start report's is null when the start was sent at once. */
  record Running(ScheduledFuture<?> startReport, ScheduledFuture<?> heartbeat)
      implements AutoCloseable {
    @Override
    public void close() {
      heartbeat.cancel(false);
      if (startReport != null) {
        startReport.cancel(false);
      }
    }
  }
}
