package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * "Run this attempt of this job": published to the task's class topic, keyed by job id. {@code
 * lineage} is the job's lineage as the api recorded it (job id, task, version, trace id and what
 * the client supplied); absent in commands of an older api.
 */
public record TaskCommand(
    int schemaVersion,
    UUID jobId,
    String task,
    int taskVersion,
    int attempt,
    int maxAttempts,
    JsonNode params,
    String owner,
    String idempotencyKey,
    Instant deadline,
    Instant enqueuedAt,
    JsonNode lineage) {

  public static final int SCHEMA_VERSION = 1;

  /** Rejects records that parse as JSON but miss what a worker needs. */
  public TaskCommand requireValid() {
    if (jobId == null || task == null || task.isBlank() || attempt < 1) {
      throw new MalformedRecordException("task command lacks jobId, task or attempt");
    }
    return this;
  }
}
