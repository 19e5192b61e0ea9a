package org.kfm.tasks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;

/**
 * Task commands for tests, shaped as the API dispatches them, so a test names only what it is
 * about: {@code aCommand().withParams("{\"sleep_ms\":2000}").attempt(2).build()}.
 *
 * <p>Unless told otherwise a command is for a fresh job, runs {@code system.noop} version 1 as
 * attempt 1 of 3 with empty params for owner {@code alice}, uses the job id as its idempotency key
 * (as the API does when the client gave none), was enqueued now, has an hour until its deadline and
 * carries the current schema version.
 */
public final class TaskCommands {
  private static final Duration DEFAULT_TIME_TO_DEADLINE = Duration.ofHours(1);

  private TaskCommands() {}

  public static Builder aCommand() {
    return new Builder();
  }

  /** Each setter replaces one field; {@link #build()} can be called more than once. */
  public static final class Builder {
    private JsonNode lineage;
    private int schemaVersion = TaskCommand.SCHEMA_VERSION;
    private UUID jobId = UUID.randomUUID();
    private String task = "system.noop";
    private int taskVersion = 1;
    private int attempt = 1;
    private int maxAttempts = 3;
    private JsonNode params = Wire.mapper().createObjectNode();
    private String owner = "alice";
    // Resolved at build time, so that forJob may come after it.
    private String idempotencyKey;
    private Instant enqueuedAt = Instant.now();
    private Instant deadline = enqueuedAt.plus(DEFAULT_TIME_TO_DEADLINE);

    private Builder() {}

    public Builder forJob(UUID jobId) {
      this.jobId = jobId;
      return this;
    }

    public Builder forTask(String task) {
      this.task = task;
      return this;
    }

    public Builder taskVersion(int taskVersion) {
      this.taskVersion = taskVersion;
      return this;
    }

    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Params as JSON text, e.g. {@code "{\"sleep_ms\":2000}"}. */
    public Builder withParams(String json) {
      return withParams(Wire.fromJson(json, JsonNode.class));
    }

    public Builder withParams(JsonNode params) {
      this.params = params;
      return this;
    }

    public Builder ownedBy(String owner) {
      this.owner = owner;
      return this;
    }

    /** The key the handler deduplicates by; {@code null}, the default, means the job id. */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /** When the job expires unless started; {@code null} for a job without a deadline. */
    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    public Builder enqueuedAt(Instant enqueuedAt) {
      this.enqueuedAt = enqueuedAt;
      return this;
    }

    /** The job's lineage as the api would send it, e.g. {"pipeline_run_id":"run-7"}. */
    public Builder withLineage(String json) {
      this.lineage = Wire.fromJson(json, JsonNode.class);
      return this;
    }

    public Builder schemaVersion(int schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    public TaskCommand build() {
      return new TaskCommand(
          schemaVersion,
          jobId,
          task,
          taskVersion,
          attempt,
          maxAttempts,
          params,
          owner,
          idempotencyKey != null ? idempotencyKey : jobId.toString(),
          deadline,
          enqueuedAt,
          lineage);
    }
  }
}
