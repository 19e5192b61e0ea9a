package org.kfm.tasks.worker.run;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * The threads handlers run on, and how long an attempt may hold one: until its task's timeout, then
 * a grace period after it is stopped. A handler that ignores being stopped is abandoned then, so
 * the class pool's slot comes back.
 */
@Singleton
final class HandlerThreads {
  private static final Logger LOG = Logger.getLogger(HandlerThreads.class);

  private final WorkerConfig config;
  private final RunningAttempts attempts;
  // Reused across attempts: starting a thread per job cost more than a no-op job itself. A thread
  // whose handler ignores a stop stays busy and the pool starts another; idle ones end after 60 s.
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "task-handler");
            // A handler that never returns must not keep the process alive at exit.
            t.setDaemon(true);
            return t;
          });

  HandlerThreads(WorkerConfig config, RunningAttempts attempts) {
    this.config = config;
    this.attempts = attempts;
  }

  /**
   * Runs the handler and returns once it ended, or was stopped (timeout, cancel, shutdown) and had
   * its grace period; the handle then says which.
   */
  void run(AttemptHandle handle, TaskSpec spec, UUID jobId, AttemptHandle.HandlerCall call) {
    handle.start(threads, "task-" + spec.name() + "-" + jobId, call);
    CompletableFuture<Object> firstOf = CompletableFuture.anyOf(handle.result(), handle.stopped());
    try {
      firstOf.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      handle.stop(StopReason.TIMEOUT);
    } catch (InterruptedException e) {
      // The pool is being shut down under us: stop the handler the same way.
      handle.stop(StopReason.SHUTDOWN);
    } catch (ExecutionException e) {
      // The handler threw; the outcome reads it from the handle.
    }
    if (!handle.result().isDone()) {
      waitForStoppedHandler(handle, spec, jobId);
    }
  }

  private void waitForStoppedHandler(AttemptHandle handle, TaskSpec spec, UUID jobId) {
    Duration grace = config.stopGrace();
    try {
      handle.result().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      attempts.abandoned();
      LOG.errorf(
          "job=%s task=%s handler ignored its stop request for %s; its thread is abandoned and its slot reclaimed",
          jobId, spec.name(), grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Expected: a stopped handler usually ends by throwing.
    }
    // Publishing the outcome must not see an interrupt meant for the handler.
    Thread.interrupted();
  }
}
