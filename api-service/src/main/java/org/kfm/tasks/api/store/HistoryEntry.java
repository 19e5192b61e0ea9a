package org.kfm.tasks.api.projection;

import java.time.Instant;
import java.util.UUID;

/** One row for job_events; {@code eventId} is null for entries the projector itself decides. */
record HistoryEntry(
    UUID jobId, UUID eventId, String type, int attempt, Instant at, String dataJson) {}
