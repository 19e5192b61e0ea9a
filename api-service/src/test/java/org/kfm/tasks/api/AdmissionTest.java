package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.admission.AdmissionGate;

@QuarkusTest
class AdmissionTest {
  private static final String NOOP = "{\"task\":\"system.noop\",\"params\":{}}";

  @Inject AdmissionGate gate;

  @Test
  void aFullGateRefusesWith503AndRetryAfterAndWritesNothing() {
    String owner = "shed-" + UUID.randomUUID();
    int held = 0;
    try {
      while (gate.tryEnter(AdmissionGate.Kind.REQUEST)) {
        held++;
      }
      assertThat(held).isPositive();
      given()
          .header("Authorization", Tokens.bearer(owner, "admin"))
          .contentType(ContentType.JSON)
          .body(NOOP)
          .post("/api/v1/jobs")
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .header("Retry-After", equalTo("1"))
          .body("status", equalTo(503))
          .body("errorId", notNullValue());
      // Probes stay outside the gate: an instance at capacity is busy, not broken.
      given().get("/q/health/ready").then().statusCode(200);
    } finally {
      for (int i = 0; i < held; i++) {
        gate.leave(AdmissionGate.Kind.REQUEST);
      }
    }
    given()
        .header("Authorization", Tokens.bearer(owner, "admin"))
        .get("/api/v1/jobs?owner=" + owner)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
    given()
        .header("Authorization", Tokens.bearer(owner, "admin"))
        .contentType(ContentType.JSON)
        .body(NOOP)
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
  }

  @Test
  void batchesHaveASmallerLimitOfTheirOwn() {
    String owner = "shed-batch-" + UUID.randomUUID();
    int held = 0;
    try {
      while (gate.tryEnter(AdmissionGate.Kind.BATCH)) {
        held++;
      }
      assertThat(held).isBetween(1, 16);
      given()
          .header("Authorization", Tokens.bearer(owner, "admin"))
          .contentType(ContentType.JSON)
          .body("{\"jobs\":[" + NOOP + "]}")
          .urlEncodingEnabled(false)
          .post("/api/v1/jobs:batch")
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .header("Retry-After", equalTo("1"));
      // Single submissions still have room.
      given()
          .header("Authorization", Tokens.bearer(owner, "admin"))
          .contentType(ContentType.JSON)
          .body(NOOP)
          .post("/api/v1/jobs")
          .then()
          .statusCode(202);
    } finally {
      for (int i = 0; i < held; i++) {
        gate.leave(AdmissionGate.Kind.BATCH);
      }
    }
  }

  @Test
  void everyEndedRequestGivesItsPlaceBackWhateverItsOutcome() {
    for (int i = 0; i < 20; i++) {
      given().contentType(ContentType.JSON).body(NOOP).post("/api/v1/jobs").then().statusCode(401);
      given()
          .header("Authorization", Tokens.admin())
          .contentType(ContentType.JSON)
          .body("{\"task\":")
          .post("/api/v1/jobs")
          .then()
          .statusCode(400);
      given()
          .header("Authorization", Tokens.admin())
          .get("/api/v1/jobs/" + UUID.randomUUID())
          .then()
          .statusCode(404);
      given()
          .header("Authorization", Tokens.admin())
          .contentType(ContentType.JSON)
          .body(NOOP)
          .post("/api/v1/jobs")
          .then()
          .statusCode(202);
      given()
          .header("Authorization", Tokens.admin())
          .contentType(ContentType.JSON)
          .body("{\"jobs\":[" + NOOP + "]}")
          .urlEncodingEnabled(false)
          .post("/api/v1/jobs:batch")
          .then()
          .statusCode(202);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gate.inFlight() == 0);
  }
}
