package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;

/** One job of {@code POST /api/v1/jobs:batch}; {@code idempotencyKey} plays the header's role. */
public record BatchItem(
    String task,
    JsonNode params,
    String runAt,
    String deadline,
    String idempotencyKey,
    JsonNode lineage) {
  SubmitJobRequest request() {
    return new SubmitJobRequest(task, params, runAt, deadline, lineage);
  }
}
