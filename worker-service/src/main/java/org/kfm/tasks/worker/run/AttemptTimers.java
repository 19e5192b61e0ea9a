package org.kfm.tasks.worker.run;

import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

  /**
   * Starts both timers of one attempt; closing the result cancels them. {@code late} hears of a
   * heartbeat that went out more than half an interval after it was due: the timer thread was held
   * up (a long GC pause, a starved CPU), and the API's lease comes closer to running out.
   */
  Running start(AttemptReports reports, Runnable late) {
    // An attempt shorter than the delay reports its start in its outcome only: one event, not two.
    long startDelay = config.startReportDelay().toMillis();
    ScheduledFuture<?> startReport = null;
    if (startDelay <= 0) {
      reports.start();
    } else {
      startReport = timers.schedule(reports::start, startDelay, TimeUnit.MILLISECONDS);
    }
    long beat = config.heartbeatInterval().toMillis();
    long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(beat);
    AtomicLong due = new AtomicLong(first);
    long slack = TimeUnit.MILLISECONDS.toNanos(beat) / 2;
    ScheduledFuture<?> heartbeat =
        timers.scheduleAtFixedRate(
            () -> {
              long now = System.nanoTime();
              if (now - due.get() > slack) {
                late.run();
              }
              due.set(now + TimeUnit.MILLISECONDS.toNanos(beat));
              reports.heartbeat();
            },
            beat,
            beat,
            TimeUnit.MILLISECONDS);
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
