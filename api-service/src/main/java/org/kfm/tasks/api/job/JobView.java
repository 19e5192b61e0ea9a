package org.kfm.tasks.api.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.JobStatus;

/**
 * A job as clients see it ({@code GET /api/v1/jobs/{id}}). What was not read is left out rather
 * than shown empty: {@code artifacts} and {@code params} appear only in a single job's view
 * (listings and the answers of submit, cancel and retry leave them out), {@code lineage} in every
 * answer but listings.
 */
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
    @JsonInclude(JsonInclude.Include.NON_NULL) List<ArtifactView> artifacts,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode lineage,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode params,
    String traceId,
    Map<String, String> links) {

  /** The same view showing {@code params}, as the caller may see them. */
  public JobView withParams(JsonNode params) {
    return new JobView(
        id,
        task,
        taskVersion,
        status,
        owner,
        attempt,
        maxAttempts,
        createdAt,
        runAt,
        startedAt,
        finishedAt,
        progress,
        result,
        error,
        artifacts,
        lineage,
        params,
        traceId,
        links);
  }

  /** The job without its artifacts (and without its lineage when the row was read without it). */
  public static JobView of(JobRow row) {
    return of(row, null);
  }

  /**
   * The lineage recorded at submission with the job's current attempt, which the row keeps apart
   * because it changes with each retry.
   */
  private static JsonNode lineageOf(JobRow row) {
    if (!(row.lineage() instanceof ObjectNode recorded)) {
      return row.lineage();
    }
    ObjectNode lineage = recorded.deepCopy();
    lineage.put("attempt", row.attempt());
    return lineage;
  }

  /** The job with its artifacts, as {@code GET /api/v1/jobs/{id}} shows it. */
  public static JobView of(JobRow row, List<ArtifactView> artifacts) {
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
        artifacts,
        lineageOf(row),
        null,
        row.traceId(),
        Map.of(
            "self", self, "events", self + "/events", "artifacts", JobLinks.artifacts(row.id())));
  }
}
