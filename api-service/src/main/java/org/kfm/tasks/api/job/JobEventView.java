package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of a job's history ({@code GET /api/v1/jobs/{id}/events}). */
public record JobEventView(String type, int attempt, Instant at, JsonNode data) {}
