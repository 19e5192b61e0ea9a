package org.kfm.tasks.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Everything an accepted job's row starts with. {@code lineage} is the object recorded beside the
 * job and handed to its worker: the job's identity and what the client declared.
 */
public record NewJob(
    UUID id,
    String task,
    int taskVersion,
    JobStatus status,
    JsonNode params,
    String owner,
    String idempotencyKey,
    String paramsHash,
    String queue,
    int maxAttempts,
    Instant runAt,
    Instant deadline,
    Instant nextDispatchAt,
    Instant createdAt,
    String traceId,
    JsonNode lineage) {

  /** The same job in another trace, with the lineage that records it. */
  public NewJob withTrace(String traceId, JsonNode lineage) {
    return copy(nextDispatchAt, traceId, lineage);
  }

  /**
   * The same job due for the dispatcher loop at {@code at}: for a job no request will publish (the
   * request path is full), so that the loop takes it on its next pass instead of after the grace.
   */
  public NewJob dueAt(Instant at) {
    return copy(at, traceId, lineage);
  }

  /** The same job with another lineage (a trigger adds what made it). */
  public NewJob withLineage(JsonNode lineage) {
    return copy(nextDispatchAt, traceId, lineage);
  }

  private NewJob copy(Instant nextDispatchAt, String traceId, JsonNode lineage) {
    return new NewJob(
        id,
        task,
        taskVersion,
        status,
        params,
        owner,
        idempotencyKey,
        paramsHash,
        queue,
        maxAttempts,
        runAt,
        deadline,
        nextDispatchAt,
        createdAt,
        traceId,
        lineage);
  }
}
