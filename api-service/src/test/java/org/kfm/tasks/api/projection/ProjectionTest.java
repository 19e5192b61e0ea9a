package org.kfm.tasks.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.kfm.tasks.api.store.JobRows.aQueuedJob;
import static org.kfm.tasks.api.store.JobRows.aRunningJob;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.store.ArtifactRow;
import org.kfm.tasks.api.store.HistoryEntry;
import org.kfm.tasks.api.store.JobState;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.contracts.ArtifactRef;
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
  private static final String SHA = "ab".repeat(32);

  private final List<String> outcomes = new ArrayList<>();
  private final Projection projection =
      new Projection(CATALOG, () -> 0.5, (event, outcome) -> outcomes.add(outcome));

  private List<HistoryEntry> project(JobState job, JobEvent... events) {
    Map<UUID, JobState> states = new LinkedHashMap<>();
    states.put(job.id(), job);
    return projection.apply(states, List.of(events)).history();
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
  void aRetryWaitsForTheUpstreamsRetryNotBeforeWhenItIsLaterThanTheBackoff() {
    JobState job = aRunningJob().ofTask("ingest.noaa_forecast").atAttempt(1).of(5).state();
    Instant notBefore = Instant.now().plusSeconds(120);
    JobError throttled =
        new JobError("UPSTREAM_THROTTLED", "HTTP 429; retry after 120s", true, "e-9", notBefore);

    project(job, JobEvent.failed(job.id(), 1, "w1", Instant.now(), throttled));

    // ingest.noaa_forecast's backoff alone would be 2.5 to 5 s.
    assertThat(job.status()).isEqualTo(JobStatus.SCHEDULED);
    assertThat(job.runAt()).isEqualTo(notBefore);
    assertThat(job.nextDispatchAt()).isEqualTo(notBefore);
    assertThat(job.error()).contains("\"retryNotBefore\":\"" + notBefore + "\"");
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

  private static ArtifactRef artifactOf(UUID jobId, String name) {
    return new ArtifactRef(name, "text/csv", 12, SHA, ArtifactKeys.forJob(jobId, name));
  }

  private Projected projectAll(JobState job, JobEvent... events) {
    Map<UUID, JobState> states = new LinkedHashMap<>();
    states.put(job.id(), job);
    return projection.apply(states, List.of(events));
  }

  @Test
  void anAppliedSuccessRecordsItsArtifactsWithTheirAttempt() {
    JobState job = aRunningJob().atAttempt(2).of(3).state();
    JobEvent succeeded =
        JobEvent.succeeded(
            job.id(),
            2,
            "w1",
            Instant.now(),
            null,
            List.of(artifactOf(job.id(), "runs.csv"), artifactOf(job.id(), "summary.json")));

    Projected projected = projectAll(job, succeeded);

    assertThat(projected.artifacts())
        .extracting(ArtifactRow::name, ArtifactRow::attempt, ArtifactRow::storageKey)
        .containsExactly(
            tuple("runs.csv", 2, "jobs/" + job.id() + "/runs.csv"),
            tuple("summary.json", 2, "jobs/" + job.id() + "/summary.json"));
    assertThat(projected.refused()).isZero();
  }

  @Test
  void anIgnoredSuccessRecordsNoArtifacts() {
    JobState job = aRunningJob().atAttempt(2).state();
    JobEvent late =
        JobEvent.succeeded(
            job.id(), 1, "w1", Instant.now(), null, List.of(artifactOf(job.id(), "old.csv")));

    Projected projected = projectAll(job, late);

    assertThat(projected.artifacts()).isEmpty();
    assertThat(outcomes).containsExactly("ignored");
  }

  @Test
  void artifactsWithABadNameAnotherJobsKeyOrBrokenFieldsAreRefused() {
    JobState job = aRunningJob().state();
    UUID other = UUID.randomUUID();
    JobEvent succeeded =
        JobEvent.succeeded(
            job.id(),
            1,
            "w1",
            Instant.now(),
            null,
            List.of(
                new ArtifactRef("../x", "text/plain", 1, SHA, "jobs/" + job.id() + "/../x"),
                new ArtifactRef("a.csv", "text/csv", 1, SHA, ArtifactKeys.forJob(other, "a.csv")),
                new ArtifactRef("b.csv", "text/csv", 1, SHA, "jobs/" + job.id() + "/c.csv"),
                new ArtifactRef("c.csv", null, 1, SHA, ArtifactKeys.forJob(job.id(), "c.csv")),
                new ArtifactRef(
                    "d.csv", "text/csv", 1, "nope", ArtifactKeys.forJob(job.id(), "d.csv")),
                artifactOf(job.id(), "ok.csv")));

    Projected projected = projectAll(job, succeeded);

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(projected.artifacts()).extracting(ArtifactRow::name).containsExactly("ok.csv");
    assertThat(projected.refused()).isEqualTo(5);
  }

  @Test
  void aNameReportedTwiceIsRecordedOnceWithTheLaterEntry() {
    JobState job = aRunningJob().state();
    ArtifactRef first = artifactOf(job.id(), "a.csv");
    ArtifactRef second = new ArtifactRef("a.csv", "text/csv", 99, SHA.toUpperCase(), first.key());

    Projected projected =
        projectAll(
            job,
            JobEvent.succeeded(job.id(), 1, "w1", Instant.now(), null, List.of(first, second)));

    assertThat(projected.artifacts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.size()).isEqualTo(99);
              assertThat(a.sha256()).isEqualTo(SHA);
            });
  }
}
