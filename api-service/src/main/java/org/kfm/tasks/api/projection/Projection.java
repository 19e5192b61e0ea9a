package org.kfm.tasks.api.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.HistoryEntry;
import org.kfm.tasks.api.store.JobState;
import org.kfm.tasks.contracts.AfterAttempt;
import org.kfm.tasks.contracts.AfterAttempt.Next;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.JobTransitions;
import org.kfm.tasks.contracts.JobTransitions.Decision;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/**
 * The projection's rules, in memory and without a database: a batch of worker events applied in
 * delivery order to their locked jobs. A start or progress report goes through the transition
 * table, an attempt's end through the after-attempt rule; anything they refuse changes nothing.
 */
public final class Projection {
  // The projector's log category, so operators' filters keep working.
  private static final Logger LOG = Logger.getLogger(EventApplier.class);

  private final TaskCatalog catalog;
  private final DoubleSupplier random;
  private final BiConsumer<JobEvent, String> outcomes;

  /**
   * @param random uniform values in [0, 1) for retry jitter
   * @param outcomes told of each event whether it was "applied", "ignored" or for an "unknown-job"
   */
  public Projection(
      TaskCatalog catalog, DoubleSupplier random, BiConsumer<JobEvent, String> outcomes) {
    this.catalog = catalog;
    this.random = random;
    this.outcomes = outcomes;
  }

  /**
   * Applies {@code events} to {@code states} and returns what else to write: the history entries,
   * and the artifacts of the successes it applied (those of ignored events are not recorded).
   */
  public Projected apply(Map<UUID, JobState> states, List<JobEvent> events) {
    List<HistoryEntry> history = new ArrayList<>();
    ArtifactRefs artifacts = new ArtifactRefs();
    for (JobEvent event : events) {
      JobState job = states.get(event.jobId());
      if (job == null) {
        LOG.warnf("job=%s event for an unknown job ignored", event.jobId());
        outcomes.accept(event, "unknown-job");
      } else if (event.type().isFinal()) {
        applyEnd(job, event, history, artifacts);
      } else {
        applyReport(job, event, history);
      }
    }
    return new Projected(history, List.copyOf(artifacts.accepted()), artifacts.refused());
  }

  /** A start or progress report of a running attempt. */
  private void applyReport(JobState job, JobEvent event, List<HistoryEntry> history) {
    Decision decision =
        JobTransitions.decide(
            job.status(), job.attempt(), event.type().transition(), event.attempt());
    if (!ignored(job, event, decision.applies(), decision.reason())) {
      boolean start = event.type() == JobEventType.STARTED;
      job.running(decision, start ? startOf(event) : null, event.progress());
      job.heardFrom(event.workerId(), Instant.now());
      if (start) {
        history.add(
            new HistoryEntry(
                job.id(),
                event.eventId(),
                event.type().wireName(),
                event.attempt(),
                startOf(event),
                workerData(event)));
      }
    }
  }

  /** An attempt's outcome: the job ends, or its next attempt is scheduled. */
  private void applyEnd(
      JobState job, JobEvent event, List<HistoryEntry> history, ArtifactRefs artifacts) {
    AfterAttempt.End end =
        new AfterAttempt.End(
            AfterAttempt.Ending.of(event.type()),
            event.attempt(),
            event.at(),
            event.error(),
            event.workerId());
    Next next =
        AfterAttempt.decide(
            job.forRule(), end, catalog.retriesOf(job.task()), Instant.now(), random);
    if (ignored(job, event, next.applies(), next.reason())) {
      return;
    }
    noteStart(job, event, history);
    Outcomes.log(job, event, next);
    if (next.kind() == AfterAttempt.Kind.ENDED) {
      if (event.type() == JobEventType.SUCCEEDED) {
        job.succeededWith(event.progress(), event.result());
        artifacts.add(job.id(), event.attempt(), event.artifacts());
      }
      job.heardFrom(event.workerId(), Instant.now());
    }
    history.addAll(job.conclude(next, end, event.eventId()));
  }

  private boolean ignored(JobState job, JobEvent event, boolean applies, String reason) {
    if (applies) {
      outcomes.accept(event, "applied");
      return false;
    }
    LOG.debugf(
        "job=%s attempt=%d %s ignored: %s",
        job.id(), event.attempt(), event.type().wireName(), reason);
    outcomes.accept(event, "ignored");
    return true;
  }

  /**
   * An outcome of an attempt that reported no start of its own (workers fold the start of a short
   * attempt into its outcome, and a start report may be lost) still records when it started.
   */
  private static void noteStart(JobState job, JobEvent event, List<HistoryEntry> history) {
    if (event.startedAt() == null || job.startedAt() != null) {
      return;
    }
    job.startedAt(event.startedAt());
    history.add(
        new HistoryEntry(
            job.id(),
            null,
            JobEventType.STARTED.wireName(),
            event.attempt(),
            event.startedAt(),
            workerData(event)));
  }

  /**
   * A start report may be sent a little after the start it reports; older workers send no
   * startedAt.
   */
  private static Instant startOf(JobEvent event) {
    return event.startedAt() != null ? event.startedAt() : event.at();
  }

  private static String workerData(JobEvent event) {
    return event.workerId() == null ? null : Wire.toJson(Map.of("workerId", event.workerId()));
  }
}
