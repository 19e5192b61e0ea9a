package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A route a task spec names in triggered_by submits that task as POST /api/v1/jobs would. */
@QuarkusTest
class TaskRouteTest {
  private static final String ROUTE = "/api/simulation/run";

  private static String params(String scenario, int runs) {
    return """
        {"scenario_id":"%s","runs":%d,"annual_event_rate":1.5,"severity":{"mu":0,"sigma":1}}
        """
        .formatted(scenario, runs);
  }

  @Test
  void theSpecsRouteSubmitsItsTaskWithTheBodyAsParams() {
    String id =
        given()
            .header("Authorization", Tokens.analyst("rita"))
            .contentType(ContentType.JSON)
            .body(params("route-" + UUID.randomUUID(), 1000))
            .post(ROUTE)
            .then()
            .statusCode(202)
            .header("Location", org.hamcrest.Matchers.containsString("/api/v1/jobs/"))
            .body("task", equalTo("analysis.run_simulation"), "status", equalTo("queued"))
            .extract()
            .path("id");

    given()
        .header("Authorization", Tokens.analyst("rita"))
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("owner", equalTo("rita"), "task", equalTo("analysis.run_simulation"));
  }

  @Test
  void invalidParamsAre400NamingTheFieldFromTheBodysRoot() {
    given()
        .header("Authorization", Tokens.analyst("rita"))
        .contentType(ContentType.JSON)
        .body(params("bad-" + UUID.randomUUID(), 5))
        .post(ROUTE)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("/runs"));
  }

  @Test
  void theTasksRoleIsRequiredAndATokenFirst() {
    given()
        .header("Authorization", Tokens.bearer("vic", "viewer"))
        .contentType(ContentType.JSON)
        .body(params("role-" + UUID.randomUUID(), 1000))
        .post(ROUTE)
        .then()
        .statusCode(403);
    given()
        .contentType(ContentType.JSON)
        .body(params("anon", 1000))
        .post(ROUTE)
        .then()
        .statusCode(401);
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameJob() {
    String key = "route-key-" + UUID.randomUUID();
    String body = params("idem-" + UUID.randomUUID(), 1000);
    String first =
        given()
            .header("Authorization", Tokens.analyst("rita"))
            .header("Idempotency-Key", key)
            .contentType(ContentType.JSON)
            .body(body)
            .post(ROUTE)
            .then()
            .statusCode(202)
            .header("Idempotent-Replayed", "false")
            .extract()
            .path("id");
    given()
        .header("Authorization", Tokens.analyst("rita"))
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(body)
        .post(ROUTE)
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(first));
  }

  @Test
  void aRouteNoSpecNamesIs404() {
    given()
        .header("Authorization", Tokens.analyst("rita"))
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/simulation/walk")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
