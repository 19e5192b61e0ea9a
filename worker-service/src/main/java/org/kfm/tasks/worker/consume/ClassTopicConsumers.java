package org.kfm.tasks.worker.consume;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.run.AttemptRunner;
import org.kfm.tasks.worker.run.CommandCheck;
import org.kfm.tasks.worker.run.RunnableCommand;

/**
 * One consumer per concurrency class, each on its own bounded worker pool. Records are processed
 * out of order and acknowledged one by one when done; the throttled commit strategy then commits
 * only offsets whose records are all done, so a long job never blocks its partition and a crash
 * redelivers exactly what was not finished. A record that is not a runnable command is parked in
 * the class topic's DLQ; any other failure fails the channel (failure-strategy=fail) so that the
 * record stays uncommitted and is redelivered, never parked.
 */
@ApplicationScoped
public class ClassTopicConsumers {
  private final CommandCheck commandCheck;
  private final AttemptRunner runner;
  private final DeadLetters deadLetters;

  public ClassTopicConsumers(
      CommandCheck commandCheck, AttemptRunner runner, DeadLetters deadLetters) {
    this.commandCheck = commandCheck;
    this.runner = runner;
    this.deadLetters = deadLetters;
  }

  @Incoming("cpu-heavy")
  @Blocking(value = "cpu-heavy", ordered = false)
  public void cpuHeavy(ConsumerRecord<String, String> record) {
    run(record, ConcurrencyClass.CPU_HEAVY);
  }

  @Incoming("io-heavy")
  @Blocking(value = "io-heavy", ordered = false)
  public void ioHeavy(ConsumerRecord<String, String> record) {
    run(record, ConcurrencyClass.IO_HEAVY);
  }

  @Incoming("latency-sensitive")
  @Blocking(value = "latency-sensitive", ordered = false)
  public void latencySensitive(ConsumerRecord<String, String> record) {
    run(record, ConcurrencyClass.LATENCY_SENSITIVE);
  }

  private void run(ConsumerRecord<String, String> record, ConcurrencyClass concurrencyClass) {
    RunnableCommand runnable;
    try {
      TaskCommand command = Wire.fromJson(record.value(), TaskCommand.class).requireValid();
      runnable = commandCheck.check(command, concurrencyClass);
    } catch (MalformedRecordException e) {
      deadLetters.park(record, e.getMessage());
      return;
    }
    runner.run(runnable);
  }
}
