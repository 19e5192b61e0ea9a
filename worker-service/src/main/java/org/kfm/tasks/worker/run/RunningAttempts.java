package org.kfm.tasks.worker.run;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this replica is running right now, what it was told to cancel, and whether it is draining
 * for shutdown. The attempt runner, the control consumer and the shutdown hook meet here.
 */
@ApplicationScoped
public class RunningAttempts {
  /** Remembered cancellations; a command for one of these attempts is skipped without running. */
  private static final int CANCELED_MEMORY = 100_000;

  private record Running(int attempt, AttemptHandle handle) {}

  private final Map<UUID, Running> running = new ConcurrentHashMap<>();
  // job id -> the latest attempt canceled; a retry after a cancel is a later attempt and runs.
  private final Map<UUID, Integer> canceled =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Integer> eldest) {
              return size() > CANCELED_MEMORY;
            }
          });
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger abandoned = new AtomicInteger();

  public RunningAttempts(MeterRegistry registry) {
    registry.gauge("kfm.worker.attempts.running", running, Map::size);
    registry.gauge("kfm.worker.attempts.abandoned", abandoned);
  }

  /**
   * Makes a starting attempt reachable by cancels and shutdown until the result is closed. A cancel
   * that came after the caller's {@link #wasCanceled} check stops it before it starts.
   */
  Registration register(UUID jobId, int attempt, AttemptHandle handle) {
    running.put(jobId, new Running(attempt, handle));
    if (wasCanceled(jobId, attempt)) {
      handle.stop(StopReason.CANCELED);
    }
    return () ->
        running.computeIfPresent(
            jobId, (id, current) -> current.handle() == handle ? null : current);
  }

  /** An attempt's place among the running ones; closing it removes the attempt. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * A cancel request from the control topic for one attempt: stops it if it runs here, and
   * remembers it so that its command, and any earlier attempt's, is skipped if it arrives later. A
   * request that names no attempt (0) is taken to mean the attempt running here, or else the first.
   */
  public void cancel(UUID jobId, int attempt) {
    Running current = running.get(jobId);
    int named = attempt > 0 ? attempt : current != null ? current.attempt() : 1;
    canceled.merge(jobId, named, Math::max);
    if (current != null && current.attempt() <= named) {
      current.handle().stop(StopReason.CANCELED);
    }
  }

  /** Whether a cancel request for this attempt of the job, or a later one, reached this replica. */
  public boolean wasCanceled(UUID jobId, int attempt) {
    Integer canceledAttempt = canceled.get(jobId);
    return canceledAttempt != null && attempt <= canceledAttempt;
  }

  /** From now on new commands are handed back, not started. */
  public void startDraining() {
    draining.set(true);
  }

  public boolean isDraining() {
    return draining.get();
  }

  public int count() {
    return running.size();
  }

  public void stopAll(StopReason reason) {
    running.values().forEach(r -> r.handle().stop(reason));
  }

  /** A handler that ignored its stop request: its thread is left behind, its slot reclaimed. */
  void abandoned() {
    abandoned.incrementAndGet();
  }

  public int abandonedCount() {
    return abandoned.get();
  }
}
