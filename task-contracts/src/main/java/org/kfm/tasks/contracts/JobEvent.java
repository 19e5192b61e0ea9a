package org.kfm.tasks.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A status event about one attempt of a job, published to {@code kfm.job-events} keyed by job id.
 */
public record JobEvent(
    int schemaVersion,
    UUID eventId,
    UUID jobId,
    int attempt,
    JobEventType type,
    Instant at,
    String workerId,
    Progress progress,
    JsonNode result,
    JobError error,
    Instant startedAt,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ArtifactRef> artifacts) {

  public static final int SCHEMA_VERSION = 1;

  public JobEvent {
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
  }

  public static JobEvent started(UUID jobId, int attempt, String workerId, Instant at) {
    return new JobEvent(
        SCHEMA_VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        JobEventType.STARTED,
        at,
        workerId,
        null,
        null,
        null,
        null,
        List.of());
  }

  public static JobEvent progress(
      UUID jobId, int attempt, String workerId, Instant at, Progress progress) {
    return new JobEvent(
        SCHEMA_VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        JobEventType.PROGRESS,
        at,
        workerId,
        progress,
        null,
        null,
        null,
        List.of());
  }

  public static JobEvent succeeded(
      UUID jobId, int attempt, String workerId, Instant at, JsonNode result) {
    return succeeded(jobId, attempt, workerId, at, result, List.of());
  }

  /** Success with the artifacts the attempt stored; the api records them for download. */
  public static JobEvent succeeded(
      UUID jobId,
      int attempt,
      String workerId,
      Instant at,
      JsonNode result,
      List<ArtifactRef> artifacts) {
    return new JobEvent(
        SCHEMA_VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        JobEventType.SUCCEEDED,
        at,
        workerId,
        new Progress(1.0, "done"),
        result,
        null,
        null,
        artifacts);
  }

  public static JobEvent failed(
      UUID jobId, int attempt, String workerId, Instant at, JobError error) {
    return new JobEvent(
        SCHEMA_VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        JobEventType.FAILED,
        at,
        workerId,
        null,
        null,
        error,
        null,
        List.of());
  }

  public static JobEvent canceled(UUID jobId, int attempt, String workerId, Instant at) {
    return new JobEvent(
        SCHEMA_VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        JobEventType.CANCELED,
        at,
        workerId,
        null,
        null,
        null,
        null,
        List.of());
  }

  public static JobEvent expired(UUID jobId, int attempt, String workerId, Instant at) {
    return new JobEvent(
        SCHEMA_VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        JobEventType.EXPIRED,
        at,
        workerId,
        null,
        null,
        JobErrors.expired(),
        null,
        List.of());
  }

  /**
   * The same event saying when its attempt started ({@code at} is when the event was produced).
   * Outcomes carry it so that an attempt short enough to report no separate {@code started} event
   * still has a start time (and a lost {@code started} costs nothing); a {@code started} event sent
   * after a delay carries it too.
   */
  public JobEvent withStartedAt(Instant startedAt) {
    return new JobEvent(
        schemaVersion,
        eventId,
        jobId,
        attempt,
        type,
        at,
        workerId,
        progress,
        result,
        error,
        startedAt,
        artifacts);
  }

  public JobEvent requireValid() {
    if (eventId == null || jobId == null || type == null || at == null || attempt < 1) {
      throw new MalformedRecordException("job event lacks eventId, jobId, type, at or attempt");
    }
    return this;
  }

  /** How far an attempt got, as a fraction in [0, 1] and a short human message. */
  public record Progress(double fraction, String message) {}

  /**
   * Why an attempt failed. {@code errorId} ties the event to the worker's log line. {@code
   * retryNotBefore}, when set, is the earliest time a retry may run (an upstream's {@code
   * Retry-After}); it is left out of the JSON when absent, and readers that do not know it ignore
   * it.
   */
  public record JobError(
      String code,
      String message,
      boolean retryable,
      String errorId,
      @JsonInclude(JsonInclude.Include.NON_NULL) Instant retryNotBefore) {

    public JobError(String code, String message, boolean retryable, String errorId) {
      this(code, message, retryable, errorId, null);
    }
  }
}
