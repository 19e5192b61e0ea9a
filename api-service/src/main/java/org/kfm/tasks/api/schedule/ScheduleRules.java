package org.kfm.tasks.api.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.store.ScheduleRow;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.TaskCatalog;

/**
 * What a schedule must be to be stored: a name admins can type and metrics can carry, a cron
 * expression cron-utils accepts, an IANA time zone, a task of the catalogue and params its input
 * schema accepts (checked now, so a schedule never fires jobs that are refused), known policies.
 * Every invalid field is reported at once. Pure: writes nothing.
 */
public final class ScheduleRules {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  static final String FIRE_ONCE = "fire_once";
  static final String SKIP = "skip";
  static final String ALLOW = "allow";
  static final String SKIP_IF_RUNNING = "skip_if_running";

  private final TaskCatalog catalog;

  public ScheduleRules(TaskCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Checks a schedule and builds its row, with the first slot after {@code now}.
   *
   * @param name the schedule's name (from the body on create, from the path on update)
   * @throws ApiProblem 400 naming each invalid field
   */
  public ScheduleRow check(String name, ScheduleRequest request, String by, Instant now) {
    if (request == null) {
      throw ApiProblem.badField("", "a JSON body with cron, task and params is required");
    }
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "/name",
              "name must be 1-63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter"
                  + " or digit"));
    }
    ZoneId zone = zoneOf(request.timeZone(), errors);
    Optional<Instant> first = firstSlot(request.cron(), zone, now, errors);
    JsonNode params = paramsOf(request, errors);
    String catchUp =
        oneOf("/catchUp", request.catchUp(), FIRE_ONCE, Set.of(FIRE_ONCE, SKIP), errors);
    String overlap =
        oneOf("/overlap", request.overlap(), ALLOW, Set.of(ALLOW, SKIP_IF_RUNNING), errors);
    if (!errors.isEmpty()) {
      throw ApiProblem.badRequest("the schedule is not valid: " + errors.get(0).message(), errors);
    }
    return new ScheduleRow(
        name,
        request.cron().trim(),
        zone.getId(),
        request.task(),
        params,
        request.enabled() == null || request.enabled(),
        catchUp,
        overlap,
        first.orElseThrow(),
        null,
        null,
        by,
        now,
        by,
        now,
        null);
  }

  private static ZoneId zoneOf(String timeZone, List<FieldError> errors) {
    if (timeZone == null || timeZone.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      errors.add(
          new FieldError(
              "/timeZone",
              "unknown time zone " + timeZone + "; use an IANA name such as Europe/Berlin"));
      return ZoneId.of("UTC");
    }
  }

  private static Optional<Instant> firstSlot(
      String cron, ZoneId zone, Instant now, List<FieldError> errors) {
    if (cron == null || cron.isBlank()) {
      errors.add(new FieldError("/cron", "cron is required"));
      return Optional.empty();
    }
    try {
      Optional<Instant> first = CronSlots.of(cron, zone).nextAfter(now);
      if (first.isEmpty()) {
        errors.add(new FieldError("/cron", "the cron expression has no future slot"));
      }
      return first;
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("/cron", "invalid cron expression: " + e.getMessage()));
      return Optional.empty();
    }
  }

  private JsonNode paramsOf(ScheduleRequest request, List<FieldError> errors) {
    JsonNode params =
        request.params() == null ? JsonNodeFactory.instance.objectNode() : request.params();
    if (request.task() == null || request.task().isBlank()) {
      errors.add(new FieldError("/task", "task is required"));
      return params;
    }
    Optional<TaskCatalog.Entry> entry = catalog.find(request.task());
    if (entry.isEmpty()) {
      errors.add(new FieldError("/task", "unknown task " + request.task()));
    } else if (!params.isObject()) {
      errors.add(new FieldError("/params", "params must be a JSON object"));
    } else {
      errors.addAll(entry.get().validator().validate(params));
    }
    return params;
  }

  private static String oneOf(
      String field, String value, String fallback, Set<String> allowed, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    if (!allowed.contains(value)) {
      errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed)));
    }
    return value;
  }
}
