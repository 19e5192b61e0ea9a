package org.kfm.tasks.api.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * A task as the catalogue shows it: {@code triggers} are the domain-event topics that enqueue it,
 * {@code routes} the HTTP routes that submit it besides {@code POST /api/v1/jobs}.
 */
public record TaskView(
    String name,
    int version,
    String purpose,
    String owner,
    String queue,
    String requiredRole,
    int timeoutSeconds,
    long ttlSeconds,
    int maxAttempts,
    List<String> triggers,
    List<String> routes,
    JsonNode inputSchema) {

  static TaskView of(TaskSpec spec) {
    return new TaskView(
        spec.name(),
        spec.version(),
        spec.purpose(),
        spec.owner(),
        spec.queue(),
        spec.requiredRole(),
        spec.timeoutSeconds(),
        spec.ttlSeconds(),
        spec.retries().maxAttempts(),
        spec.eventTopics(),
        spec.httpRoutes().stream().map(TaskSpec.HttpRoute::toString).toList(),
        spec.inputSchema());
  }
}
