package org.kfm.tasks.contracts;

import static org.kfm.tasks.contracts.JobStatus.CANCELED;
import static org.kfm.tasks.contracts.JobStatus.EXPIRED;
import static org.kfm.tasks.contracts.JobStatus.FAILED;
import static org.kfm.tasks.contracts.JobStatus.QUEUED;
import static org.kfm.tasks.contracts.JobStatus.RUNNING;
import static org.kfm.tasks.contracts.JobStatus.SCHEDULED;
import static org.kfm.tasks.contracts.JobStatus.SUCCEEDED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of legal status changes. The projector and the API both ask it; nothing else
 * decides a transition. Any pair missing from the table is ignored, which is how late and duplicate
 * events become harmless.
 */
public final class JobTransitions {

  /** Worker events carry the attempt they belong to; events of any other attempt change nothing. */
  private static final Set<Transition> ATTEMPT_GUARDED =
      EnumSet.of(
          Transition.STARTED,
          Transition.PROGRESS,
          Transition.SUCCEEDED,
          Transition.FAILED,
          Transition.CANCELED,
          Transition.EXPIRED);

  /** Transitions that begin a new attempt. */
  private static final Set<Transition> NEW_ATTEMPT =
      EnumSet.of(Transition.RETRY_SCHEDULED, Transition.MANUAL_RETRY);

  private static final Map<JobStatus, Map<Transition, JobStatus>> TABLE =
      new EnumMap<>(JobStatus.class);

  static {
    allow(SCHEDULED, Transition.DISPATCHED, QUEUED);
    allow(SCHEDULED, Transition.CANCEL_REQUESTED, CANCELED);
    allow(SCHEDULED, Transition.EXPIRED, EXPIRED);
    // An event of the current attempt proves its command was published, even if the dispatcher's
    // bookkeeping has not landed yet (publish acked, then the update failed or is still running).
    allow(SCHEDULED, Transition.STARTED, RUNNING);
    allow(SCHEDULED, Transition.PROGRESS, RUNNING);
    allow(SCHEDULED, Transition.SUCCEEDED, SUCCEEDED);
    allow(SCHEDULED, Transition.FAILED, FAILED);
    allow(SCHEDULED, Transition.CANCELED, CANCELED);
    allow(SCHEDULED, Transition.RETRY_SCHEDULED, SCHEDULED);

    // A re-dispatch after a crash between publish and bookkeeping is harmless.
    allow(QUEUED, Transition.DISPATCHED, QUEUED);
    allow(QUEUED, Transition.STARTED, RUNNING);
    // Progress or an outcome before "started" means "started" was late or lost; it still ran.
    allow(QUEUED, Transition.PROGRESS, RUNNING);
    allow(QUEUED, Transition.SUCCEEDED, SUCCEEDED);
    allow(QUEUED, Transition.FAILED, FAILED);
    allow(QUEUED, Transition.CANCELED, CANCELED);
    allow(QUEUED, Transition.RETRY_SCHEDULED, SCHEDULED);
    allow(QUEUED, Transition.CANCEL_REQUESTED, CANCELED);
    allow(QUEUED, Transition.EXPIRED, EXPIRED);

    allow(RUNNING, Transition.PROGRESS, RUNNING);
    allow(RUNNING, Transition.SUCCEEDED, SUCCEEDED);
    allow(RUNNING, Transition.FAILED, FAILED);
    allow(RUNNING, Transition.CANCELED, CANCELED);
    allow(RUNNING, Transition.RETRY_SCHEDULED, SCHEDULED);
    // The job keeps running until its worker confirms; the request is recorded on the row.
    allow(RUNNING, Transition.CANCEL_REQUESTED, RUNNING);

    allow(FAILED, Transition.MANUAL_RETRY, SCHEDULED);
    allow(CANCELED, Transition.MANUAL_RETRY, SCHEDULED);
    allow(EXPIRED, Transition.MANUAL_RETRY, SCHEDULED);
  }

  private JobTransitions() {}

  private static void allow(JobStatus from, Transition transition, JobStatus to) {
    TABLE.computeIfAbsent(from, s -> new EnumMap<>(Transition.class)).put(transition, to);
  }

  /** The status that {@code transition} leads to from {@code from}, if the table allows it. */
  public static Optional<JobStatus> target(JobStatus from, Transition transition) {
    return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(transition));
  }

  /**
   * Decides what {@code transition}, reported for {@code eventAttempt}, does to a job that is in
   * {@code current} at {@code currentAttempt}.
   */
  public static Decision decide(
      JobStatus current, int currentAttempt, Transition transition, int eventAttempt) {
    if (ATTEMPT_GUARDED.contains(transition) && eventAttempt != currentAttempt) {
      return Decision.ignored(
          "event of attempt " + eventAttempt + " while the job is at attempt " + currentAttempt);
    }
    if (current == RUNNING && transition == Transition.STARTED) {
      return Decision.ignored("duplicate start");
    }
    return target(current, transition)
        .map(
            next ->
                Decision.applied(
                    next, NEW_ATTEMPT.contains(transition) ? currentAttempt + 1 : currentAttempt))
        .orElseGet(() -> Decision.ignored(transition + " is not legal in status " + current));
  }

  /** The outcome of {@link #decide}: either a new status and attempt, or a reason to ignore. */
  public record Decision(boolean applies, JobStatus next, int nextAttempt, String reason) {
    static Decision applied(JobStatus next, int nextAttempt) {
      return new Decision(true, next, nextAttempt, null);
    }

    static Decision ignored(String reason) {
      return new Decision(false, null, 0, reason);
    }
  }
}
