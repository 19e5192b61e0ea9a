package org.kfm.tasks.worker.run;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.TaskCommand;

/**
 * On SIGTERM: take no new commands (they stay uncommitted and go to another replica), let running
 * attempts finish within the grace period, then stop the rest; a stopped attempt reports
 * WORKER_SHUTDOWN, which the API retries without counting it. Nothing stays "running".
 */
@ApplicationScoped
public class GracefulShutdown {
  private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

  private final RunningAttempts attempts;
  private final WorkerConfig config;

  public GracefulShutdown(RunningAttempts attempts, WorkerConfig config) {
    this.attempts = attempts;
    this.config = config;
  }

  // Before the messaging connectors close: final events still need the producer.
  void drain(@Observes @Priority(1) ShutdownEvent event) {
    attempts.startDraining();
    Instant deadline = Instant.now().plus(config.shutdownGrace());
    LOG.infof(
        "shutting down: %d attempts running, waiting up to %s",
        attempts.count(), config.shutdownGrace());
    while (attempts.count() > 0 && Instant.now().isBefore(deadline)) {
      pause(100);
    }
    if (attempts.count() > 0) {
      LOG.warnf(
          "stopping %d attempts still running after %s", attempts.count(), config.shutdownGrace());
      attempts.stopAll(StopReason.SHUTDOWN);
      Instant stopDeadline = Instant.now().plus(config.stopGrace()).plusSeconds(5);
      while (attempts.count() > 0 && Instant.now().isBefore(stopDeadline)) {
        pause(100);
      }
    }
    LOG.infof("drained; %d attempts left", attempts.count());
  }

  /**
   * A command that arrives while this replica shuts down is never acknowledged: it stays
   * uncommitted and is redelivered to a replica that is not shutting down. The thread waits here
   * until the process exits.
   */
  static void handBack(TaskCommand command) {
    LOG.infof(
        "job=%s attempt=%d handed back: this worker is shutting down",
        command.jobId(), command.attempt());
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // Keep holding the record until the JVM halts.
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
