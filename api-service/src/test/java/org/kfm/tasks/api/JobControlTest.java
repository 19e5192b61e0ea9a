package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

@QuarkusTest
class JobControlTest {
  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @jakarta.inject.Inject io.vertx.mutiny.sqlclient.Pool pool;

  @jakarta.inject.Inject org.kfm.tasks.api.watchdog.LeaseWatchdog watchdog;

  /** A job the API believes running (attempt 1) with a cancel requested. */
  private String runningWithCancelRequested(KafkaTestClient kafka) {
    String id = Jobs.submitNoop();
    kafka.send(
        Topics.JOB_EVENTS,
        id,
        Wire.toJson(JobEvent.started(UUID.fromString(id), 1, "w1", Instant.now())));
    awaitStatus(id, "running");
    post("/api/v1/jobs/" + id + "/cancel", Tokens.admin())
        .statusCode(200)
        .body("status", equalTo("running"));
    return id;
  }

  private static void awaitStatus(String id, String status) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .header("Authorization", Tokens.admin())
                    .get("/api/v1/jobs/" + id)
                    .then()
                    .body("status", equalTo(status)));
  }

  @Test
  void anAttemptThatFailsAfterACancelRequestEndsTheJobCanceledNotRetried() {
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      String id = runningWithCancelRequested(kafka);
      kafka.send(
          Topics.JOB_EVENTS,
          id,
          Wire.toJson(
              JobEvent.failed(
                  UUID.fromString(id),
                  1,
                  "w1",
                  Instant.now(),
                  new JobEvent.JobError("WORKER_SHUTDOWN", "shut down", true, "e1"))));
      awaitStatus(id, "canceled");
      given()
          .header("Authorization", Tokens.admin())
          .get("/api/v1/jobs/" + id)
          .then()
          .body("attempt", equalTo(1))
          .body("error.code", equalTo("WORKER_SHUTDOWN"));
    }
  }

  @Test
  void aLostAttemptOfAJobWithACancelRequestEndsCanceledNotRetried() {
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      String id = runningWithCancelRequested(kafka);
      pool.preparedQuery(
              "UPDATE jobs SET last_heartbeat_at = now() - interval '1 hour' WHERE id = $1")
          .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(id)))
          .await()
          .atMost(Duration.ofSeconds(10));
      watchdog.pass().await().atMost(Duration.ofSeconds(30));
      awaitStatus(id, "canceled");
      given()
          .header("Authorization", Tokens.admin())
          .get("/api/v1/jobs/" + id + "/events")
          .then()
          .body("type", hasItem("lost"))
          .body("type", hasItem("canceled"));
    }
  }

  private static String delayedNoop() {
    return given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(
            "{\"task\":\"system.noop\",\"params\":{},\"runAt\":\""
                + Instant.now().plusSeconds(3600)
                + "\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static io.restassured.response.ValidatableResponse post(String path, String auth) {
    return given().header("Authorization", auth).post(path).then();
  }

  @Test
  void aJobThatHasNotStartedIsCanceledAtOnceAndCanBeRetried() {
    String id = delayedNoop();
    post("/api/v1/jobs/" + id + "/cancel", Tokens.admin())
        .statusCode(200)
        .body("status", equalTo("canceled"));
    post("/api/v1/jobs/" + id + "/cancel", Tokens.admin())
        .statusCode(409)
        .contentType("application/problem+json");

    post("/api/v1/jobs/" + id + "/retry", Tokens.admin())
        .statusCode(200)
        .body("status", equalTo("scheduled"), "attempt", equalTo(2));
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      kafka.await(
          "kfm.tasks.latency-sensitive",
          r -> r.key().equals(id) && r.value().contains("\"attempt\":2"),
          1,
          Duration.ofSeconds(30));
    }
  }

  @Test
  void aQueuedJobIsCanceledAtOnceAndWorkersAreToldInCaseOneHoldsIt() {
    String id = Jobs.submitNoop();
    post("/api/v1/jobs/" + id + "/cancel", Tokens.admin())
        .statusCode(200)
        .body("status", equalTo("canceled"));
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      kafka.await(
          Topics.JOB_CONTROL,
          r -> r.key().equals(id) && r.value().contains("\"action\":\"cancel\""),
          1,
          Duration.ofSeconds(30));
    }
  }

  @Test
  void aRunningJobIsAskedToStopThroughTheControlTopic() {
    String id = delayedNoop();
    post("/api/v1/jobs/" + id + "/retry", Tokens.admin()).statusCode(409);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      // Make it run: cancel the delay by retrying after a cancel, then report it started.
      post("/api/v1/jobs/" + id + "/cancel", Tokens.admin()).statusCode(200);
      post("/api/v1/jobs/" + id + "/retry", Tokens.admin()).statusCode(200);
      UUID jobId = UUID.fromString(id);
      kafka.send(
          Topics.JOB_EVENTS, id, Wire.toJson(JobEvent.started(jobId, 2, "w1", Instant.now())));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .header("Authorization", Tokens.admin())
                      .get("/api/v1/jobs/" + id)
                      .then()
                      .body("status", equalTo("running")));

      post("/api/v1/jobs/" + id + "/cancel", Tokens.admin())
          .statusCode(200)
          .body("status", equalTo("running"));

      kafka.await(
          Topics.JOB_CONTROL,
          r -> r.key().equals(id) && r.value().contains("\"action\":\"cancel\""),
          1,
          Duration.ofSeconds(30));
      given()
          .header("Authorization", Tokens.admin())
          .get("/api/v1/jobs/" + id + "/events")
          .then()
          .body("type", hasItem("cancel_requested"));
    }
  }

  @Test
  void anotherUserCannotCancelOrRetry() {
    String id =
        given()
            .header("Authorization", Tokens.analyst("olga"))
            .contentType(ContentType.JSON)
            .body(
                "{\"task\":\"analysis.run_simulation\",\"runAt\":\""
                    + Instant.now().plusSeconds(3600)
                    + "\",\"params\":{\"scenario_id\":\"c\",\"runs\":100,\"annual_event_rate\":1,\"severity\":{\"mu\":0,\"sigma\":1}}}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    post("/api/v1/jobs/" + id + "/cancel", Tokens.analyst("peter")).statusCode(404);
    post("/api/v1/jobs/" + id + "/retry", Tokens.analyst("peter")).statusCode(404);
    post("/api/v1/jobs/" + id + "/cancel", Tokens.analyst("olga")).statusCode(200);
  }
}
