package org.kfm.tasks.api.store;

import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.AfterAttempt;
import org.kfm.tasks.contracts.Wire;

/**
 * One row for job_events; {@code eventId} is the worker event it records (so a redelivered event is
 * recorded once), null for entries the api-service itself decides.
 */
public record HistoryEntry(
    UUID jobId, UUID eventId, String type, int attempt, Instant at, String dataJson) {

  /** An entry the service decides now, with no data. */
  public static HistoryEntry of(UUID jobId, String type, int attempt) {
    return new HistoryEntry(jobId, null, type, attempt, Instant.now(), null);
  }

  static HistoryEntry of(UUID jobId, UUID eventId, AfterAttempt.Entry entry) {
    return new HistoryEntry(
        jobId,
        eventId,
        entry.type(),
        entry.attempt(),
        entry.at(),
        entry.data() == null ? null : Wire.toJson(entry.data()));
  }
}
