package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.well.WellConfig;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * The queue watchdog at /q/health/well reports each problem, with its reason, against the real
 * database and broker; readiness stays UP meanwhile, so nothing restarts or unroutes the pod. The
 * test profile calls a queued job piling up after 2 s and a projection stalled after 2 s.
 */
@QuarkusTest
class WatchdogHealthTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject KafkaClientService clients;
  @Inject WellConfig well;

  private static String wellBody() {
    return given().get("/q/health/well").then().extract().asString();
  }

  private static void awaitProblem(String key) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              var response = given().get("/q/health/well").then().extract();
              assertThat(response.statusCode()).isEqualTo(503);
              assertThat(response.asString()).contains("\"status\": \"DOWN\"").contains(key);
            });
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void queuedJobsWaitingPastTheAgeLimitPileUp() {
    Jobs.submitNoop();

    awaitProblem("\"queue.latency-sensitive.age\": \"oldest queued job has waited");
  }

  @Test
  void aRecordInADeadLetterTopicIsReported() {
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      // Not a status event: the projector parks it in kfm.dlq.kfm.job-events.
      kafka.send(Topics.JOB_EVENTS, UUID.randomUUID().toString(), "{ not json");

      awaitProblem("\"dlq.kfm.dlq.kfm.job-events\": \"");
    }
  }

  @Test
  void aTaskWhoseJobsKeepFailingIsReported() {
    // Jobs of a task no other test finishes, so their failures are the whole count; as many as
    // the rule asks for (kfm.well.failure-min-jobs), each ended by a worker's final failure.
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      for (int i = 0; i < well.failureMinJobs(); i++) {
        UUID job =
            UUID.fromString(
                given()
                    .header("Authorization", Tokens.admin())
                    .contentType(ContentType.JSON)
                    .body("{\"task\":\"maintenance.cache_cleanup\",\"params\":{\"dry_run\":true}}")
                    .post("/api/v1/jobs")
                    .then()
                    .statusCode(202)
                    .extract()
                    .<String>path("id"));
        kafka.send(
            Topics.JOB_EVENTS,
            job.toString(),
            Wire.toJson(JobEvent.started(job, 1, "worker-test", Instant.now())));
        kafka.send(
            Topics.JOB_EVENTS,
            job.toString(),
            Wire.toJson(
                JobEvent.failed(
                    job,
                    1,
                    "worker-test",
                    Instant.now(),
                    new JobEvent.JobError("STORE_REFUSED", "refused", false, "e-well-" + i))));
      }

      awaitProblem("\"task.maintenance.cache_cleanup.failing\": \"");
    }
    assertThat(wellBody()).containsPattern("\\d+ of \\d+ jobs failed in the last 15 min");
  }

  @Test
  void statusEventsWaitingWhileTheProjectorCommitsNothingIsAStall() {
    KafkaConsumer<Object, Object> projector = clients.getConsumer("job-events");
    projector.pause().await().atMost(WAIT);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      UUID unknownJob = UUID.randomUUID();
      kafka.send(
          Topics.JOB_EVENTS,
          unknownJob.toString(),
          Wire.toJson(JobEvent.started(unknownJob, 1, "worker-test", Instant.now())));

      awaitProblem("\"projection.stalled\": \"");
    } finally {
      projector.resume().await().atMost(WAIT);
    }
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(wellBody()).doesNotContain("projection.stalled"));
  }
}
