package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;

/** Body of {@code POST /api/v1/jobs}; runAt is an optional ISO-8601 instant. */
public record SubmitJobRequest(String task, JsonNode params, String runAt) {}
