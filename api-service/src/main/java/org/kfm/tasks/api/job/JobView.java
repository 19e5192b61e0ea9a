package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.JobStatus;

/** A job as clients see it ({@code GET /api/v1/jobs/{id}}). */
public record JobView(
    UUID id,
    String task,
    int taskVersion,
    JobStatus status,
    String owner,
    int attempt,
    int maxAttempts,
    Instant createdAt,
    Instant runAt,
    Instant startedAt,
    Instant finishedAt,
    JsonNode progress,
    JsonNode result,
    JsonNode error,
    List<String> artifacts,
    String traceId,
    Map<String, String> links) {

  public static JobView of(JobRow row) {
    String self = JobLinks.self(row.id());
    return new JobView(
        row.id(),
        row.task(),
        row.taskVersion(),
        row.status(),
        row.owner(),
        row.attempt(),
        row.maxAttempts(),
        row.createdAt(),
        row.runAt(),
        row.startedAt(),
        row.finishedAt(),
        row.progress(),
        row.result(),
        row.error(),
        List.of(),
        row.traceId(),
        Map.of("self", self, "events", self + "/events"));
  }
}
