package org.kfm.tasks.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One job_events row as read back. */
public record StoredEvent(String type, int attempt, Instant at, JsonNode data) {}
