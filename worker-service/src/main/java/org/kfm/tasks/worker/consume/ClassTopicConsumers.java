package org.kfm.tasks.worker.consume;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.run.AttemptRunner;

/**
 * One consumer per concurrency class, each on its own bounded worker pool. Records are processed
 * out of order and acknowledged one by one when done; the throttled commit strategy then commits
 * only offsets whose records are all done, so a long job never blocks its partition and a crash
 * redelivers exactly what was not finished. A record that is not a runnable command throws and goes
 * to the class topic's DLQ.
 */
@ApplicationScoped
public class ClassTopicConsumers {
  private final AttemptRunner runner;

  public ClassTopicConsumers(AttemptRunner runner) {
    this.runner = runner;
  }

  @Incoming("cpu-heavy")
  @Blocking(value = "cpu-heavy", ordered = false)
  public void cpuHeavy(String record) {
    run(record, ConcurrencyClass.CPU_HEAVY);
  }

  @Incoming("io-heavy")
  @Blocking(value = "io-heavy", ordered = false)
  public void ioHeavy(String record) {
    run(record, ConcurrencyClass.IO_HEAVY);
  }

  @Incoming("latency-sensitive")
  @Blocking(value = "latency-sensitive", ordered = false)
  public void latencySensitive(String record) {
    run(record, ConcurrencyClass.LATENCY_SENSITIVE);
  }

  private void run(String record, ConcurrencyClass concurrencyClass) {
    runner.run(Wire.fromJson(record, TaskCommand.class).requireValid(), concurrencyClass);
  }
}
