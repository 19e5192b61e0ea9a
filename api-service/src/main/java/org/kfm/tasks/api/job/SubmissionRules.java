package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.api.trace.JobTraces;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * The rules a submission must pass to become a job, and the row it becomes: the task exists, the
 * caller holds its role, the params fit its schema, the lineage its spec's lineage fields, times
 * and the idempotency key are well formed. Pure: it reads the catalogue and the clock it is given,
 * and writes nothing.
 */
public final class SubmissionRules {
  private static final int MAX_KEY_LENGTH = 200;

  /** Pseudo key field: the hash of the whole request. */
  private static final String PARAMS_HASH_FIELD = "params_hash";

  private final TaskCatalog catalog;
  private final Duration fastPathGrace;
  private final Map<String, ParamsCheck> taskChecks;

  /**
   * @param fastPathGrace how long the dispatcher loop leaves a new job to its request's own publish
   */
  public SubmissionRules(TaskCatalog catalog, Duration fastPathGrace) {
    this(catalog, fastPathGrace, List.of());
  }

  /**
   * @param taskChecks checks params must pass beyond the input schema, at most one per task
   */
  public SubmissionRules(
      TaskCatalog catalog, Duration fastPathGrace, List<ParamsCheck> taskChecks) {
    this.catalog = catalog;
    this.fastPathGrace = fastPathGrace;
    this.taskChecks =
        taskChecks.stream().collect(Collectors.toUnmodifiableMap(ParamsCheck::task, c -> c));
  }

  /**
   * Checks one submission and builds the row it becomes; nothing is written.
   *
   * @throws ApiProblem naming each invalid field, or the missing role
   */
  public NewJob prepare(
      Caller caller, SubmitJobRequest request, String idempotencyKey, Instant now) {
    TaskSpec spec = authorizedSpec(caller, request);
    JsonNode params =
        request.params() == null ? JsonNodeFactory.instance.objectNode() : request.params();
    checkParams(spec, params);
    LineageRules.Checked declared = LineageRules.check(spec, request.lineage());
    if (!declared.errors().isEmpty()) {
      throw ApiProblem.badRequest(
          "lineage does not fit the lineage fields of " + spec.name(), declared.errors());
    }
    Instant runAt = parseRunAt(request.runAt(), now);
    String hash = ParamsHash.of(spec.name(), params, request.runAt() + "|" + request.deadline());
    String key =
        idempotencyKey != null ? checkedKey(idempotencyKey) : derivedKey(spec, params, hash);
    boolean delayed = runAt.isAfter(now);
    UUID id = UUID.randomUUID();
    String traceId = JobTraces.currentTraceId();
    return new NewJob(
        id,
        spec.name(),
        spec.version(),
        delayed ? JobStatus.SCHEDULED : JobStatus.QUEUED,
        params,
        caller.name(),
        key,
        hash,
        spec.queue(),
        spec.retries().maxAttempts(),
        runAt,
        deadlineOf(request.deadline(), runAt, spec),
        delayed ? runAt : now.plus(fastPathGrace),
        now,
        traceId,
        LineageRules.of(id, spec, traceId, JobTraces.currentTraceparent(), declared.fields()));
  }

  /**
   * A job a trigger makes rather than a person (a domain event): its spec's trigger authorizes it,
   * so no role is checked; its id follows from the trigger, and its lineage and first history entry
   * say what made it ({@code trigger}).
   *
   * @throws ApiProblem naming each field of {@code params} the task's input schema refuses
   */
  public NewJob prepareTriggered(
      TaskSpec spec,
      String owner,
      JsonNode params,
      UUID id,
      String idempotencyKey,
      ObjectNode trigger,
      Instant now) {
    checkParams(spec, params);
    String traceId = JobTraces.currentTraceId();
    ObjectNode declared = JsonNodeFactory.instance.objectNode();
    declared.set("trigger", trigger);
    return new NewJob(
        id,
        spec.name(),
        spec.version(),
        JobStatus.QUEUED,
        params,
        owner,
        idempotencyKey,
        ParamsHash.of(spec.name(), params, "trigger"),
        spec.queue(),
        spec.retries().maxAttempts(),
        now,
        deadlineOf(null, now, spec),
        now.plus(fastPathGrace),
        now,
        traceId,
        LineageRules.of(id, spec, traceId, JobTraces.currentTraceparent(), declared));
  }

  /** The input schema, then the task's own check if it has one (limits a schema cannot say). */
  private void checkParams(TaskSpec spec, JsonNode params) {
    List<FieldError> invalid = catalog.find(spec.name()).orElseThrow().validator().validate(params);
    if (!invalid.isEmpty()) {
      throw ApiProblem.badRequest(
          "params do not match the input schema of " + spec.name(), invalid);
    }
    ParamsCheck taskCheck = taskChecks.get(spec.name());
    List<FieldError> refused = taskCheck == null ? List.of() : taskCheck.check(params);
    if (!refused.isEmpty()) {
      throw ApiProblem.badRequest(
          refused.stream().map(FieldError::message).distinct().reduce((a, b) -> a + "; " + b).get(),
          refused);
    }
  }

  private TaskSpec authorizedSpec(Caller caller, SubmitJobRequest request) {
    if (request == null) {
      throw ApiProblem.badField("", "a JSON body with task and params is required");
    }
    if (request.task() == null || request.task().isBlank()) {
      throw ApiProblem.badField("/task", "task is required");
    }
    TaskSpec spec =
        catalog
            .find(request.task())
            .map(TaskCatalog.Entry::spec)
            .orElseThrow(() -> ApiProblem.badField("/task", "unknown task " + request.task()));
    if (!caller.holds(spec.requiredRole())) {
      throw ApiProblem.forbidden("task " + spec.name() + " requires role " + spec.requiredRole());
    }
    if (request.params() != null && !request.params().isObject()) {
      throw ApiProblem.badField("/params", "params must be a JSON object");
    }
    return spec;
  }

  private static Instant parseRunAt(String runAt, Instant now) {
    if (runAt == null || runAt.isBlank()) {
      return now;
    }
    try {
      Instant at = Instant.parse(runAt);
      if (at.isAfter(now.plus(Duration.ofDays(366)))) {
        throw ApiProblem.badField("/runAt", "runAt must be within a year");
      }
      return at.isBefore(now) ? now : at;
    } catch (DateTimeParseException e) {
      throw ApiProblem.badField(
          "/runAt", "runAt must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }

  private static Instant deadlineOf(String requested, Instant runAt, TaskSpec spec) {
    Instant ttl = runAt.plus(spec.ttl());
    if (requested == null || requested.isBlank()) {
      return ttl;
    }
    try {
      Instant deadline = Instant.parse(requested);
      if (!deadline.isAfter(runAt)) {
        throw ApiProblem.badField("/deadline", "deadline must be after runAt (or now)");
      }
      return deadline.isBefore(ttl) ? deadline : ttl;
    } catch (DateTimeParseException e) {
      throw ApiProblem.badField("/deadline", "deadline must be an ISO-8601 instant");
    }
  }

  private static String checkedKey(String key) {
    if (key.isBlank()
        || key.length() > MAX_KEY_LENGTH
        || !key.chars().allMatch(c -> c >= 0x21 && c < 0x7f)) {
      throw ApiProblem.badField(
          "header:Idempotency-Key",
          "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " printable ASCII characters");
    }
    return key;
  }

  /** A spec with idempotency key fields dedupes submissions without a header, by those fields. */
  private static String derivedKey(TaskSpec spec, JsonNode params, String hash) {
    if (spec.idempotency() == null
        || spec.idempotency().keyFields() == null
        || spec.idempotency().keyFields().isEmpty()) {
      return null;
    }
    StringJoiner joined = new StringJoiner("\u001f");
    for (String field : spec.idempotency().keyFields()) {
      joined.add(PARAMS_HASH_FIELD.equals(field) ? hash : String.valueOf(params.get(field)));
    }
    return "spec:" + ParamsHash.ofText(joined.toString());
  }
}
