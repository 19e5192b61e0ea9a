package org.kfm.tasks.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Jobs rows for tests that read like sentences: {@code aRunningJob().atAttempt(2).of(3).state()},
 * {@code aQueuedJob().ofTask("system.noop").row()}.
 */
public final class JobRows {
  private UUID id = UUID.randomUUID();
  private String task = "system.noop";
  private JobStatus status;
  private int attempt = 1;
  private int maxAttempts = 3;
  private Instant cancelRequestedAt;
  private Instant startedAt;
  private Instant deadline;
  private String owner = "alice";

  private JobRows(JobStatus status) {
    this.status = status;
  }

  public static JobRows aJob(JobStatus status) {
    return new JobRows(status);
  }

  public static JobRows aScheduledJob() {
    return new JobRows(JobStatus.SCHEDULED);
  }

  public static JobRows aQueuedJob() {
    return new JobRows(JobStatus.QUEUED);
  }

  public static JobRows aRunningJob() {
    return new JobRows(JobStatus.RUNNING).startedAt(Instant.now().minusSeconds(1));
  }

  public JobRows withId(UUID id) {
    this.id = id;
    return this;
  }

  public JobRows ofTask(String task) {
    this.task = task;
    return this;
  }

  public JobRows ownedBy(String owner) {
    this.owner = owner;
    return this;
  }

  public JobRows atAttempt(int attempt) {
    this.attempt = attempt;
    return this;
  }

  /** The job's maximum attempts, as in {@code atAttempt(2).of(3)}. */
  public JobRows of(int maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  public JobRows withCancelRequested() {
    this.cancelRequestedAt = Instant.now();
    return this;
  }

  public JobRows startedAt(Instant at) {
    this.startedAt = at;
    return this;
  }

  public JobRows notStarted() {
    this.startedAt = null;
    return this;
  }

  public JobRows dueBy(Instant deadline) {
    this.deadline = deadline;
    return this;
  }

  /** The row as the projector and the watchdog lock it. */
  public JobState state() {
    JobState state = new JobState(id, task, status, attempt, maxAttempts, cancelRequestedAt);
    state.startedAt = startedAt;
    return state;
  }

  /** The row as the REST side and the dispatcher read it. */
  public JobRow row() {
    JsonNode params = JsonNodeFactory.instance.objectNode();
    Instant created = Instant.now().minusSeconds(5);
    return new JobRow(
        id,
        task,
        1,
        status,
        params,
        owner,
        null,
        "hash",
        "latency-sensitive",
        attempt,
        maxAttempts,
        created,
        deadline,
        created,
        startedAt,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
