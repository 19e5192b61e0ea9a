package org.kfm.tasks.worker.outputs;

import static org.kfm.tasks.testing.TaskCommands.aCommand;

import java.time.Duration;
import java.util.UUID;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/** Sends commands to the worker under test and waits for their outcome events. */
public final class Commands {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final KafkaTestClient kafka;

  public Commands(KafkaTestClient kafka) {
    this.kafka = kafka;
  }

  public TaskCommand send(String task, String params) {
    return send(aCommand().forTask(task).withParams(params).build());
  }

  public TaskCommand send(TaskCommand command) {
    String topic =
        command.task().startsWith("analysis.") ? "kfm.tasks.cpu-heavy" : "kfm.tasks.io-heavy";
    kafka.send(topic, command.jobId().toString(), Wire.toJson(command));
    return command;
  }

  /** The n-th outcome (succeeded or failed) of the job, counting from 1. */
  public JobEvent outcome(UUID jobId, int n) {
    var records =
        kafka.await(
            Topics.JOB_EVENTS,
            r ->
                r.key().equals(jobId.toString())
                    && (r.value().contains("\"type\":\"succeeded\"")
                        || r.value().contains("\"type\":\"failed\"")),
            n,
            WAIT);
    return Wire.fromJson(records.get(n - 1).value(), JobEvent.class);
  }
}
