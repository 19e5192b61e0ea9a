package org.kfm.tasks.worker.run;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * A task's {@code concurrency_limit} per replica, on top of its class pool's size: a class pool can
 * run many small tasks while one heavy task of the same class stays capped.
 */
@ApplicationScoped
public class TaskLimits {
  private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

  public void acquire(TaskSpec spec) throws InterruptedException {
    permits
        .computeIfAbsent(spec.name(), n -> new Semaphore(spec.concurrencyLimit(), true))
        .acquire();
  }

  public void release(TaskSpec spec) {
    permits.get(spec.name()).release();
  }
}
