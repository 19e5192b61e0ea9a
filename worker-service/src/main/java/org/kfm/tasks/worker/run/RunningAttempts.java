package org.kfm.tasks.worker.run;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
  /** Remembered cancellations; a command for one of these is skipped without running. */
  private static final int CANCELED_MEMORY = 100_000;

  private final Map<UUID, AttemptHandle> running = new ConcurrentHashMap<>();
  private final Set<UUID> canceled =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                  return size() > CANCELED_MEMORY;
                }
              }));
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger abandoned = new AtomicInteger();

  public RunningAttempts(MeterRegistry registry) {
    registry.gauge("kfm.worker.attempts.running", running, Map::size);
    registry.gauge("kfm.worker.attempts.abandoned", abandoned);
  }

  void add(UUID jobId, AttemptHandle handle) {
    running.put(jobId, handle);
  }

  void remove(UUID jobId) {
    running.remove(jobId);
  }

  /** A cancel request from the control topic: stops the attempt if it runs here, remembers it. */
  public void cancel(UUID jobId) {
    canceled.add(jobId);
    AttemptHandle handle = running.get(jobId);
    if (handle != null) {
      handle.stop(StopReason.CANCELED);
    }
  }

  /** Whether a cancel request for this job reached this replica. */
  public boolean wasCanceled(UUID jobId) {
    return canceled.contains(jobId);
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
    running.values().forEach(h -> h.stop(reason));
  }

  /** A handler that ignored its stop request: its thread is left behind, its slot reclaimed. */
  void abandoned() {
    abandoned.incrementAndGet();
  }

  public int abandonedCount() {
    return abandoned.get();
  }
}
