package org.kfm.tasks.api.schedule;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/schedules} and {@code PUT /api/v1/schedules/{name}}. {@code timeZone}
 * (IANA, default {@code UTC}) is where the cron fields are read; {@code enabled} defaults to true,
 * {@code catchUp} to {@code fire_once}, {@code overlap} to {@code allow}. A PUT replaces every
 * field.
 */
public record ScheduleRequest(
    String name,
    String cron,
    String timeZone,
    String task,
    JsonNode params,
    Boolean enabled,
    String catchUp,
    String overlap) {}
