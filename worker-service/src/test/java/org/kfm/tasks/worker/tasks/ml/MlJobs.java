package org.kfm.tasks.worker.tasks.ml;

import static org.kfm.tasks.testing.TaskCommands.aCommand;

import java.time.Duration;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * Sends commands to the worker under test on their task's class topic and waits, bounded, for their
 * outcome events.
 */
final class MlJobs {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final TaskCatalog CATALOG = TaskCatalog.fromClasspath();

  private final KafkaTestClient kafka;

  MlJobs(KafkaTestClient kafka) {
    this.kafka = kafka;
  }

  TaskCommand command(String task, String owner, String params) {
    return aCommand().forTask(task).ownedBy(owner).withParams(params).build();
  }

  /** Sends the command and returns its n-th outcome (succeeded or failed), counting from 1. */
  JobEvent run(TaskCommand command, int n) {
    String queue = CATALOG.find(command.task()).orElseThrow().spec().queue();
    kafka.send(Topics.TASKS_PREFIX + queue, command.jobId().toString(), Wire.toJson(command));
    var records =
        kafka.await(
            Topics.JOB_EVENTS,
            r ->
                r.key().equals(command.jobId().toString())
                    && (r.value().contains("\"type\":\"succeeded\"")
                        || r.value().contains("\"type\":\"failed\"")),
            n,
            WAIT);
    return Wire.fromJson(records.get(n - 1).value(), JobEvent.class);
  }

  JobEvent run(TaskCommand command) {
    return run(command, 1);
  }
}
