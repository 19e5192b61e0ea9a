package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/** The api-service half of the loop: commands out to the class topic, status events back in. */
@QuarkusTest
class DispatchAndProjectionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NOOP_TOPIC = "kfm.tasks.latency-sensitive";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry meters;

  @jakarta.inject.Inject io.vertx.mutiny.sqlclient.Pool pool;

  @jakarta.inject.Inject org.kfm.tasks.api.dispatch.PublishesInFlight inFlight;

  private KafkaTestClient kafka;

  private double ignoredFailures() {
    var counter =
        meters.find("kfm.projection.events").tags("type", "failed", "outcome", "ignored").counter();
    return counter == null ? 0 : counter.count();
  }

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private TaskCommand awaitCommand(String jobId, int attempt) {
    var record =
        kafka
            .await(
                NOOP_TOPIC,
                r -> r.key().equals(jobId) && r.value().contains("\"attempt\":" + attempt),
                1,
                WAIT)
            .get(0);
    return Wire.fromJson(record.value(), TaskCommand.class);
  }

  private void emit(JobEvent event) {
    kafka.send(Topics.JOB_EVENTS, event.jobId().toString(), Wire.toJson(event));
  }

  private static void awaitStatus(String id, String status, int attempt) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                given()
                    .header("Authorization", Tokens.admin())
                    .get("/api/v1/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo(status))
                    .body("attempt", org.hamcrest.Matchers.equalTo(attempt)));
  }

  @Test
  void anAcceptedJobIsPublishedAndItsEventsProjectedIncludingDuplicatesAndLateOnes() {
    String id = Jobs.submitNoop();
    TaskCommand command = awaitCommand(id, 1);
    assertThat(command.task()).isEqualTo("system.noop");
    assertThat(command.idempotencyKey()).isEqualTo(id);
    UUID jobId = UUID.fromString(id);
    Instant t = Instant.now();

    JobEvent started = JobEvent.started(jobId, 1, "w1", t);
    emit(started);
    awaitStatus(id, "running", 1);
    emit(JobEvent.progress(jobId, 1, "w1", t.plusMillis(5), new JobEvent.Progress(0.5, "half")));
    emit(
        JobEvent.succeeded(
            jobId, 1, "w1", t.plusMillis(10), Wire.mapper().createObjectNode().put("ok", true)));
    emit(started);
    emit(JobEvent.progress(jobId, 1, "w1", t.plusMillis(6), new JobEvent.Progress(0.7, "late")));
    awaitStatus(id, "succeeded", 1);

    // The late failure is the last event of this job's partition: once it was ignored, every
    // duplicate before it was projected too.
    double ignoredFailures = ignoredFailures();
    emit(
        JobEvent.failed(
            jobId, 1, "w1", t.plusMillis(20), new JobError("BOOM", "late", false, "e1")));
    await().atMost(WAIT).until(() -> ignoredFailures() > ignoredFailures);
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .body("status", org.hamcrest.Matchers.equalTo("succeeded"))
        .body("result.ok", org.hamcrest.Matchers.equalTo(true))
        .body("progress.fraction", org.hamcrest.Matchers.equalTo(1.0f))
        .body("error", org.hamcrest.Matchers.nullValue());
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .body("type", org.hamcrest.Matchers.contains("queued", "started", "succeeded"));
  }

  @Test
  void anOutcomeThatCarriesItsStartStandsForTheStartedEvent() {
    String id = Jobs.submitNoop();
    awaitCommand(id, 1);
    UUID jobId = UUID.fromString(id);
    Instant startedAt = Instant.parse("2026-11-28T10:00:00.123Z");

    JobEvent succeeded =
        JobEvent.succeeded(
                jobId, 1, "w1", startedAt.plusMillis(3), Wire.mapper().createObjectNode())
            .withStartedAt(startedAt);
    emit(succeeded);
    // A duplicate must not record the start twice.
    emit(succeeded);
    awaitStatus(id, "succeeded", 1);
    double ignored = ignoredSucceeded();
    emit(
        JobEvent.succeeded(jobId, 1, "w1", Instant.now(), Wire.mapper().createObjectNode())
            .withStartedAt(Instant.now()));
    await().atMost(WAIT).until(() -> ignoredSucceeded() > ignored);

    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .body("startedAt", org.hamcrest.Matchers.equalTo("2026-11-28T10:00:00.123Z"));
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .body("type", org.hamcrest.Matchers.contains("queued", "started", "succeeded"))
        .body("[1].at", org.hamcrest.Matchers.equalTo("2026-11-28T10:00:00.123Z"))
        .body("[1].data.workerId", org.hamcrest.Matchers.equalTo("w1"));
  }

  @Test
  void aLateStartReportAndTheOutcomeBothCarryingTheStartRecordItOnce() {
    String id = Jobs.submitNoop();
    awaitCommand(id, 1);
    UUID jobId = UUID.fromString(id);
    Instant startedAt = Instant.parse("2026-11-28T11:00:00.250Z");

    // As a worker sends them for an attempt longer than its start-report delay.
    emit(JobEvent.started(jobId, 1, "w1", startedAt.plusMillis(200)).withStartedAt(startedAt));
    awaitStatus(id, "running", 1);
    emit(
        JobEvent.succeeded(
                jobId, 1, "w1", startedAt.plusSeconds(2), Wire.mapper().createObjectNode())
            .withStartedAt(startedAt));
    awaitStatus(id, "succeeded", 1);

    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .body("startedAt", org.hamcrest.Matchers.equalTo("2026-11-28T11:00:00.250Z"));
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .body("type", org.hamcrest.Matchers.contains("queued", "started", "succeeded"))
        .body("[1].at", org.hamcrest.Matchers.equalTo("2026-11-28T11:00:00.250Z"));
  }

  @Test
  void aStartReportAndItsOutcomeInOneBatchRecordTheStartOnce() {
    String id = Jobs.submitNoop();
    awaitCommand(id, 1);
    UUID jobId = UUID.fromString(id);
    Instant startedAt = Instant.parse("2026-11-28T12:00:00.500Z");
    emit(JobEvent.started(jobId, 1, "w1", startedAt.plusMillis(200)).withStartedAt(startedAt));
    emit(
        JobEvent.succeeded(
                jobId, 1, "w1", startedAt.plusSeconds(1), Wire.mapper().createObjectNode())
            .withStartedAt(startedAt));
    awaitStatus(id, "succeeded", 1);
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .body("type", org.hamcrest.Matchers.contains("queued", "started", "succeeded"));
  }

  private double ignoredSucceeded() {
    var counter =
        meters
            .find("kfm.projection.events")
            .tags("type", "succeeded", "outcome", "ignored")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void theCommandCarriesTheTraceOfTheRequestThatCreatedTheJob() {
    String id = Jobs.submitNoop();
    var record = kafka.await(NOOP_TOPIC, r -> r.key().equals(id), 1, WAIT).get(0);
    var header = record.headers().lastHeader("traceparent");
    assertThat(header).as("traceparent header on the command").isNotNull();
    String traceId =
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/jobs/" + id)
            .then()
            .extract()
            .path("traceId");
    assertThat(traceId).isNotBlank();
    // W3C traceparent: version-traceid-spanid-flags
    assertThat(new String(header.value()).split("-")[1]).isEqualTo(traceId);
  }

  @Test
  void aRetryableFailureSchedulesTheNextAttemptAfterItsBackoff() {
    String id = Jobs.submitNoop();
    awaitCommand(id, 1);
    UUID jobId = UUID.fromString(id);

    emit(JobEvent.started(jobId, 1, "w1", Instant.now()));
    Instant failedAt = Instant.now();
    emit(JobEvent.failed(jobId, 1, "w1", failedAt, new JobError("FLAKY", "try again", true, "e2")));
    awaitStatus(id, "scheduled", 2);

    // system.noop backs off 1 s before attempt 2; the dispatcher republishes it then.
    awaitCommand(id, 2);
    assertThat(Duration.between(failedAt, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    awaitStatus(id, "queued", 2);

    // A late event of attempt 1 must not touch attempt 2.
    emit(JobEvent.succeeded(jobId, 1, "w1", Instant.now(), Wire.mapper().createObjectNode()));
    emit(
        JobEvent.failed(
            jobId, 2, "w2", Instant.now(), new JobError("BAD_INPUT", "no", false, "e3")));
    awaitStatus(id, "failed", 2);
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .body("error.code", org.hamcrest.Matchers.equalTo("BAD_INPUT"))
        .body("result", org.hamcrest.Matchers.nullValue());
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .body(
            "type",
            org.hamcrest.Matchers.contains(
                "queued", "started", "failed", "scheduled", "queued", "failed"));
  }

  @Test
  void aDelayedJobWaitsScheduledUntilItsRunAt() {
    Instant runAt = Instant.now().plusSeconds(2);
    String id =
        given()
            .header("Authorization", Tokens.admin())
            .contentType(ContentType.JSON)
            .body("{\"task\":\"system.noop\",\"params\":{},\"runAt\":\"" + runAt + "\"}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .body("status", org.hamcrest.Matchers.equalTo("scheduled"))
            .extract()
            .path("id");
    awaitCommand(id, 1);
    assertThat(Instant.now()).isAfterOrEqualTo(runAt.minusMillis(50));
    awaitStatus(id, "queued", 1);
  }

  private Instant nextDispatchAt(UUID id) {
    var row =
        pool.preparedQuery("SELECT next_dispatch_at FROM jobs WHERE id = $1")
            .execute(io.vertx.mutiny.sqlclient.Tuple.of(id))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    var at = row.getOffsetDateTime("next_dispatch_at");
    return at == null ? null : at.toInstant();
  }

  private double leftToRequest() {
    var counter = meters.find("kfm.dispatch.left_to_request").counter();
    return counter == null ? 0 : counter.count();
  }

  @jakarta.inject.Inject org.kfm.tasks.api.dispatch.RequestDispatch requestPath;

  @ConfigProperty(name = "kfm.dispatch.fast-path-capacity", defaultValue = "4000")
  int fastPathCapacity;

  @ConfigProperty(name = "kfm.dispatch.fast-path-grace", defaultValue = "3s")
  Duration fastPathGrace;

  private double fastPathFull() {
    var counter = meters.find("kfm.dispatch.fast_path.full").counter();
    return counter == null ? 0 : counter.count();
  }

  /** When the dispatcher loop published a job, after {@code created_at}. */
  private Duration dispatchedAfterCreation(UUID id) {
    var row =
        pool.preparedQuery("SELECT created_at, dispatched_at FROM jobs WHERE id = $1")
            .execute(io.vertx.mutiny.sqlclient.Tuple.of(id))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    return Duration.between(
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("dispatched_at").toInstant());
  }

  @Test
  void jobsAcceptedWhileTheRequestPathIsFullAreLeftToTheLoopDueAtOnceNotAfterTheGrace() {
    // All of the request path's room taken, as thousands of unacknowledged publishes would.
    await().atMost(WAIT).until(() -> requestPath.reserve(fastPathCapacity));
    try {
      double full = fastPathFull();
      String single = Jobs.submitNoop();
      String batched = Jobs.submitNoopInBatch();
      for (String id : java.util.List.of(single, batched)) {
        awaitCommand(id, 1);
        UUID jobId = UUID.fromString(id);
        await().atMost(WAIT).until(() -> nextDispatchAt(jobId) == null);
        // Written due after the grace, the loop could not have taken it before the grace ran out.
        assertThat(dispatchedAfterCreation(jobId)).isLessThan(fastPathGrace);
      }
      assertThat(fastPathFull()).isGreaterThanOrEqualTo(full + 2);
    } finally {
      requestPath.release(fastPathCapacity);
    }
  }

  @Test
  void theLoopLeavesAJobToItsRequestWhilePublishingItAndTakesItOverWhenThatEnds() {
    String id = Jobs.submitNoop();
    awaitCommand(id, 1);
    UUID jobId = UUID.fromString(id);
    await().atMost(WAIT).until(() -> nextDispatchAt(jobId) == null);

    // As if the request were still waiting for Kafka when the fast-path grace ran out.
    inFlight.addAll(java.util.List.of(jobId));
    double before = leftToRequest();
    pool.preparedQuery("UPDATE jobs SET next_dispatch_at = now() WHERE id = $1")
        .execute(io.vertx.mutiny.sqlclient.Tuple.of(jobId))
        .await()
        .atMost(WAIT);
    // Not published (that would have cleared next_dispatch_at) but looked at again later. The
    // counter is shared by every job in flight, so the wait is on this job's row.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Instant next = nextDispatchAt(jobId);
              return next != null && next.isAfter(Instant.now().plusSeconds(1));
            });
    assertThat(leftToRequest()).isGreaterThan(before);

    // The request gave up without marking it: the loop publishes it after the grace.
    inFlight.removeAll(java.util.List.of(jobId));
    kafka.await(
        NOOP_TOPIC, r -> r.key().equals(id) && r.value().contains("\"attempt\":1"), 2, WAIT);
    await().atMost(WAIT).until(() -> nextDispatchAt(jobId) == null);
  }

  @Test
  void aRecordThatIsNotAStatusEventGoesToTheDeadLetterTopic() {
    String marker = "garbage-" + UUID.randomUUID();
    kafka.send(Topics.JOB_EVENTS, "x", "{not json " + marker);
    kafka.await(Topics.deadLetterOf(Topics.JOB_EVENTS), r -> r.value().contains(marker), 1, WAIT);

    // The projector keeps going after it.
    String id = Jobs.submitNoop();
    awaitCommand(id, 1);
    emit(JobEvent.started(UUID.fromString(id), 1, "w1", Instant.now()));
    awaitStatus(id, "running", 1);
  }
}
