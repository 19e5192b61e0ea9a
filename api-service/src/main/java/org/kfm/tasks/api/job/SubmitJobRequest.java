package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/jobs}. {@code runAt} (optional, ISO-8601) delays the job; {@code
 * deadline} (optional) expires it if it has not started by then, sooner than the task's ttl_seconds
 * would; {@code lineage} (optional) declares where the job's inputs come from, in the fields the
 * task's spec lists under {@code lineage.include}. The lineage is recorded, not part of what an
 * idempotency key compares.
 */
public record SubmitJobRequest(
    String task, JsonNode params, String runAt, String deadline, JsonNode lineage) {}
