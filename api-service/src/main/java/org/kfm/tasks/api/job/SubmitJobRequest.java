package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/jobs}. {@code runAt} (optional, ISO-8601) delays the job; {@code
 * deadline} (optional) expires it if it has not started by then, sooner than the task's ttl_seconds
 * would.
 */
public record SubmitJobRequest(String task, JsonNode params, String runAt, String deadline) {}
