package org.kfm.tasks.api.dispatch;

import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.TaskCommand;

/** The command of a job's row; it carries the lineage the job recorded at submission. */
final class TaskCommands {
  private TaskCommands() {}

  static TaskCommand of(JobRow row) {
    return new TaskCommand(
        TaskCommand.SCHEMA_VERSION,
        row.id(),
        row.task(),
        row.taskVersion(),
        row.attempt(),
        row.maxAttempts(),
        row.params(),
        row.owner(),
        row.idempotencyKey() != null ? row.idempotencyKey() : row.id().toString(),
        row.deadline(),
        row.createdAt(),
        row.lineage());
  }
}
