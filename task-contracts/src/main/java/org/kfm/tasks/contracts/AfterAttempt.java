package org.kfm.tasks.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.JobTransitions.Decision;

/**
 * The one rule for what follows the end of an attempt, whoever saw it end: the projector reading a
 * worker's outcome, or the watchdog finding an attempt lost or a job past its deadline. It asks
 * {@link JobTransitions} for every status it returns, so the table stays the only judge of a
 * transition; this class adds only what the table cannot know (attempts left, backoff, a pending
 * cancel, an uncounted re-run after a worker's shutdown).
 */
public final class AfterAttempt {

  private AfterAttempt() {}

  /** The job as the rule needs it, read from its locked row. */
  public record Job(JobStatus status, int attempt, int maxAttempts, boolean cancelRequested) {}

  /** How an attempt ended. */
  public enum Ending {
    SUCCEEDED(Transition.SUCCEEDED),
    FAILED(Transition.FAILED),
    CANCELED(Transition.CANCELED),
    /**
     * The job's deadline passed before it ran (seen by a worker, the dispatcher or the watchdog).
     */
    EXPIRED(Transition.EXPIRED),
    /** No heartbeat within the lease: the attempt failed without its worker saying so. */
    LOST(Transition.FAILED);

    private final Transition transition;

    Ending(Transition transition) {
      this.transition = transition;
    }

    /** The ending a worker's final event reports. */
    public static Ending of(JobEventType type) {
      return switch (type) {
        case SUCCEEDED -> SUCCEEDED;
        case FAILED -> FAILED;
        case CANCELED -> CANCELED;
        case EXPIRED -> EXPIRED;
        case STARTED, PROGRESS -> throw new IllegalArgumentException(type + " ends no attempt");
      };
    }

    /** The history entry's type for this ending. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The end of one attempt: which attempt, how and when, the error if any, and its worker. */
  public record End(Ending ending, int attempt, Instant at, JobError error, String workerId) {
    public static End lost(int attempt, Instant at, JobError error) {
      return new End(Ending.LOST, attempt, at, error, null);
    }

    public static End expired(int attempt, Instant at) {
      return new End(Ending.EXPIRED, attempt, at, JobErrors.expired(), null);
    }
  }

  /** One entry of the job's history; {@code data} is serialised as the entry's JSON data. */
  public record Entry(String type, int attempt, Instant at, Object data) {}

  /** What the rule decided. */
  public enum Kind {
    /** Nothing changes: the end belongs to another attempt or comes after the job moved on. */
    IGNORED,
    /** The job reaches {@link Next#status()} with this attempt: succeeded, failed or canceled. */
    ENDED,
    /** Another attempt is scheduled at {@link Next#runAt()}. */
    RETRY
  }

  /**
   * The job after the attempt's end. {@code addedAttempts} is 1 when a retry does not count against
   * {@code max_attempts} (a worker's shutdown stopped the attempt), else 0.
   */
  public record Next(
      Kind kind,
      JobStatus status,
      int attempt,
      int addedAttempts,
      Instant runAt,
      Duration backoff,
      JobError error,
      List<Entry> history,
      String reason) {

    static Next ignored(String reason) {
      return new Next(Kind.IGNORED, null, 0, 0, null, null, null, List.of(), reason);
    }

    public boolean applies() {
      return kind != Kind.IGNORED;
    }
  }

  /**
   * Decides what follows {@code end} for {@code job}.
   *
   * <ul>
   *   <li>A failed or lost attempt of a job whose user asked to cancel it ends {@code canceled}: a
   *       cancel is never lost to a retry.
   *   <li>A retryable failure with attempts left schedules the next attempt after the policy's
   *       backoff, or at the error's {@code retryNotBefore} when that is later; one stopped by its
   *       worker's shutdown is re-run at once and does not count.
   *   <li>Anything else ends the job with the status the table gives.
   * </ul>
   *
   * The history records the attempt's end under its own name ({@code failed}, {@code lost}, ...),
   * followed by the job's new status when that name does not already say it.
   *
   * @param random uniform values in [0, 1) for the backoff's jitter
   */
  public static Next decide(
      Job job, End end, TaskSpec.Retries policy, Instant now, DoubleSupplier random) {
    boolean failure = end.ending().transition == Transition.FAILED;
    Transition transition =
        failure && job.cancelRequested() ? Transition.CANCELED : end.ending().transition;
    Decision decision =
        JobTransitions.decide(job.status(), job.attempt(), transition, end.attempt());
    if (!decision.applies()) {
      return Next.ignored(decision.reason());
    }
    Entry ended = new Entry(end.ending().wireName(), end.attempt(), end.at(), dataOf(end));
    if (transition == Transition.FAILED && retries(job, end)) {
      return retry(job, end, policy, now, random, ended);
    }
    List<Entry> history = new ArrayList<>(List.of(ended));
    if (!decision.next().wireName().equals(ended.type())) {
      history.add(new Entry(decision.next().wireName(), end.attempt(), end.at(), end.error()));
    }
    return new Next(
        Kind.ENDED,
        decision.next(),
        job.attempt(),
        0,
        null,
        null,
        end.error(),
        List.copyOf(history),
        null);
  }

  private static boolean retries(Job job, End end) {
    return end.error() != null
        && end.error().retryable()
        && (job.attempt() < job.maxAttempts() || JobErrors.isWorkerShutdown(end.error()))
        && JobTransitions.decide(
                job.status(), job.attempt(), Transition.RETRY_SCHEDULED, job.attempt())
            .applies();
  }

  private static Next retry(
      Job job, End end, TaskSpec.Retries policy, Instant now, DoubleSupplier random, Entry ended) {
    Decision retry =
        JobTransitions.decide(
            job.status(), job.attempt(), Transition.RETRY_SCHEDULED, job.attempt());
    boolean uncounted = JobErrors.isWorkerShutdown(end.error());
    Duration backoff =
        uncounted ? Duration.ZERO : Backoff.delayBefore(retry.nextAttempt(), policy, random);
    Instant retryNotBefore = end.error().retryNotBefore();
    // An upstream that said when to come back (Retry-After) is not asked sooner than that; the
    // policy's backoff still applies when it is the longer wait.
    if (!uncounted && retryNotBefore != null && retryNotBefore.isAfter(now.plus(backoff))) {
      backoff = Duration.between(now, retryNotBefore);
    }
    Instant runAt = now.plus(backoff);
    Map<String, Object> scheduled = new LinkedHashMap<>();
    scheduled.put("runAt", runAt.toString());
    scheduled.put("backoffMs", backoff.toMillis());
    if (retryNotBefore != null) {
      scheduled.put("retryNotBefore", retryNotBefore.toString());
    }
    return new Next(
        Kind.RETRY,
        retry.next(),
        retry.nextAttempt(),
        uncounted ? 1 : 0,
        runAt,
        backoff,
        end.error(),
        List.of(ended, new Entry(retry.next().wireName(), retry.nextAttempt(), now, scheduled)),
        null);
  }

  private static Object dataOf(End end) {
    if (end.error() != null) {
      return end.error();
    }
    return end.workerId() == null ? null : Map.of("workerId", end.workerId());
  }
}
