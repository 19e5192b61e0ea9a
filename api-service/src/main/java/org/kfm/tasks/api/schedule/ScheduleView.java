package org.kfm.tasks.api.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.api.store.ScheduleRow;

/** A schedule as the API answers it. */
public record ScheduleView(
    String name,
    String cron,
    String timeZone,
    String task,
    JsonNode params,
    boolean enabled,
    String catchUp,
    String overlap,
    Instant nextFireAt,
    Instant lastFiredAt,
    UUID lastJobId,
    String createdBy,
    Instant createdAt,
    String updatedBy,
    Instant updatedAt) {

  static ScheduleView of(ScheduleRow row) {
    return new ScheduleView(
        row.name(),
        row.cron(),
        row.timeZone(),
        row.task(),
        row.params(),
        row.enabled(),
        row.catchUp(),
        row.overlap(),
        row.nextFireAt(),
        row.lastFiredAt(),
        row.lastJobId(),
        row.createdBy(),
        row.createdAt(),
        row.updatedBy(),
        row.updatedAt());
  }
}
