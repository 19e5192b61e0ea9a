package org.kfm.tasks.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.api.store.JobRows.aQueuedJob;
import static org.kfm.tasks.api.store.JobRows.aRunningJob;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.store.HistoryEntry;
import org.kfm.tasks.api.store.JobState;
import org.kfm.tasks.contracts.JobErrors;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/** The projector's rules on rows in memory: no broker, no database. */
class ProjectionTest {
  private static final TaskCatalog CATALOG = TaskCatalog.fromClasspath();
  private static final JobError RETRYABLE = new JobError("UPSTREAM", "503", true, "e-1");

  private final List<String> outcomes = new ArrayList<>();
  private final Projection projection =
      new Projection(CATALOG, () -> 0.5, (event, outcome) -> outcomes.add(outcome));

  private List<HistoryEntry> project(JobState job, JobEvent... events) {
    Map<UUID, JobState> states = new LinkedHashMap<>();
    states.put(job.id(), job);
    return projection.apply(states, List.of(events));
  }

  @Test
  void aShortAttemptsOutcomeRecordsTheStartItCarries() {
    JobState job = aQueuedJob().state();
    Instant started = Instant.now().minusMillis(30);

    var history =
        project(
            job,
            JobEvent.succeeded(job.id(), 1, "w1", Instant.now(), Wire.mapper().createObjectNode())
                .withStartedAt(started));

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.startedAt()).isEqualTo(started);
    assertThat(job.workerId()).isEqualTo("w1");
    assertThat(job.result()).isEqualTo("{}");
    assertThat(history).extracting(HistoryEntry::type).containsExactly("started", "succeeded");
  }

  @Test
  void aRetryableFailureWithAttemptsLeftSchedulesTheNextAttemptAfterItsBackoff() {
    JobState job = aRunningJob().ofTask("system.noop").atAttempt(1).of(3).state();

    var history = project(job, JobEvent.failed(job.id(), 1, "w1", Instant.now(), RETRYABLE));

    assertThat(job.status()).isEqualTo(JobStatus.SCHEDULED);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.startedAt()).isNull();
    assertThat(job.workerId()).isNull();
    assertThat(job.error()).contains("UPSTREAM");
    // system.noop: exponential from 1 s without jitter.
    assertThat(job.nextDispatchAt()).isEqualTo(job.runAt()).isAfter(Instant.now().plusMillis(500));
    assertThat(history).extracting(HistoryEntry::type).containsExactly("failed", "scheduled");
  }

  @Test
  void theLastAttemptsFailureEndsTheJob() {
    JobState job = aRunningJob().atAttempt(3).of(3).state();

    project(job, JobEvent.failed(job.id(), 3, "w1", Instant.now(), RETRYABLE));

    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.finishedAt()).isNotNull();
    assertThat(job.nextDispatchAt()).isNull();
  }

  @Test
  void aWorkerShutdownReRunsTheAttemptAtOnceWithoutCountingIt() {
    JobState job = aRunningJob().atAttempt(3).of(3).state();

    project(job, JobEvent.failed(job.id(), 3, "w1", Instant.now(), JobErrors.workerShutdown()));

    assertThat(job.status()).isEqualTo(JobStatus.SCHEDULED);
    assertThat(job.attempt()).isEqualTo(4);
    assertThat(job.maxAttempts()).isEqualTo(4);
    assertThat(job.runAt()).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void aFailureAfterACancelRequestEndsTheJobCanceled() {
    JobState job = aRunningJob().withCancelRequested().state();

    var history = project(job, JobEvent.failed(job.id(), 1, "w1", Instant.now(), RETRYABLE));

    assertThat(job.status()).isEqualTo(JobStatus.CANCELED);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(history).extracting(HistoryEntry::type).containsExactly("failed", "canceled");
  }

  @Test
  void eventsOfAnotherAttemptAndDuplicatesChangeNothing() {
    JobState job = aRunningJob().atAttempt(2).state();
    JobEvent late = JobEvent.succeeded(job.id(), 1, "w1", Instant.now(), null);
    JobEvent start = JobEvent.started(job.id(), 2, "w2", Instant.now());

    var history = project(job, late, start);

    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.changed()).isFalse();
    assertThat(history).isEmpty();
    assertThat(outcomes).containsExactly("ignored", "ignored");
  }

  @Test
  void oneBatchAppliesItsEventsInDeliveryOrder() {
    JobState job = aQueuedJob().state();
    Instant t = Instant.now();

    var history =
        project(
            job,
            JobEvent.started(job.id(), 1, "w1", t),
            JobEvent.progress(job.id(), 1, "w1", t, new JobEvent.Progress(0.5, "half")),
            JobEvent.succeeded(job.id(), 1, "w1", t, null).withStartedAt(t));

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(history).extracting(HistoryEntry::type).containsExactly("started", "succeeded");
    assertThat(outcomes).containsExactly("applied", "applied", "applied");
  }

  @Test
  void anEventForAnUnknownJobIsCountedAndSkipped() {
    JobState job = aQueuedJob().state();

    project(job, JobEvent.started(UUID.randomUUID(), 1, "w1", Instant.now()));

    assertThat(outcomes).containsExactly("unknown-job");
    assertThat(job.changed()).isFalse();
  }

  @Test
  void anOutcomeOfATaskNoLongerInTheCatalogueStillEndsOrRetriesItsJob() {
    JobState done = aRunningJob().ofTask("retired.task").state();
    JobState failing = aRunningJob().ofTask("retired.task").atAttempt(1).of(2).state();

    project(done, JobEvent.succeeded(done.id(), 1, "w1", Instant.now(), null));
    project(failing, JobEvent.failed(failing.id(), 1, "w1", Instant.now(), RETRYABLE));

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(failing.status()).isEqualTo(JobStatus.SCHEDULED);
    assertThat(failing.runAt()).isAfter(Instant.now().plusSeconds(10));
  }
}
