package org.kfm.tasks.api.dispatch;

import java.time.Instant;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.TaskCommand;

/**
 * The command of a job's row; it carries the lineage the job recorded at submission. Its {@code
 * enqueuedAt} is when the attempt became due (creation, or the run_at of a delayed job or a retry),
 * so a worker's queue lag does not count a wait the job asked for.
 */
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
        dueSince(row),
        row.lineage());
  }

  private static Instant dueSince(JobRow row) {
    Instant runAt = row.runAt();
    return runAt != null && runAt.isAfter(row.createdAt()) ? runAt : row.createdAt();
  }
}
