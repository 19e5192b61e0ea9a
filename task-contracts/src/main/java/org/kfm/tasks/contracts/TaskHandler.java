package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one task. An implementation names the task it serves by its wire name and must be
 * idempotent: running the same attempt again (redelivery, retry) must leave one visible outcome.
 */
public interface TaskHandler {

  /** The task's wire name, as in its spec (e.g. {@code analysis.run_simulation}). */
  String task();

  /**
   * Runs the work and returns a small result summary stored on the job.
   *
   * @throws TaskFailure for a failure with a code and a retry decision; any other exception is
   *     treated as a retryable internal error
   */
  JsonNode run(TaskContext context) throws Exception;
}
