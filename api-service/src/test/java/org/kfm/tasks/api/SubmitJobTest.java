package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SubmitJobTest {

  private static String simulation(String scenario, int runs) {
    return """
        {"task":"analysis.run_simulation","params":{"scenario_id":"%s","runs":%d,
         "annual_event_rate":1.5,"severity":{"mu":0,"sigma":1}}}
        """
        .formatted(scenario, runs);
  }

  @Test
  void anAcceptedJobAnswers202WithItsIdAndLocation() {
    var response =
        given()
            .header("Authorization", Tokens.analyst("erin"))
            .contentType(ContentType.JSON)
            .body(simulation("accept-" + UUID.randomUUID(), 1000))
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .body("status", equalTo("queued"), "task", equalTo("analysis.run_simulation"))
            .body("links.self", notNullValue())
            .extract();
    String id = response.path("id");
    assertThat(response.header("Location")).endsWith("/api/v1/jobs/" + id);

    given()
        .header("Authorization", Tokens.analyst("erin"))
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id), "owner", equalTo("erin"), "attempt", equalTo(1))
        .body("maxAttempts", equalTo(3), "taskVersion", equalTo(1), "result", nullValue());
  }

  @Test
  void invalidParamsAre400ListingEachFieldPath() {
    given()
        .header("Authorization", Tokens.analyst("erin"))
        .contentType(ContentType.JSON)
        .body(
            """
            {"task":"analysis.run_simulation","params":{"runs":5,"annual_event_rate":1,
             "severity":{"mu":0,"sigma":-2}}}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errorId", notNullValue())
        .body("errors.field", hasItem("/params/runs"))
        .body("errors.field", hasItem("/params/scenario_id"))
        .body("errors.field", hasItem("/params/severity/sigma"));
  }

  @Test
  void aGeoJsonExportOfADatasetWithoutGeometryIs400OnTheFormat() {
    given()
        .header("Authorization", Tokens.analyst("erin"))
        .contentType(ContentType.JSON)
        .body(
            """
            {"task":"exports.dataset","params":{"dataset":"simulation_bins","format":"geojson"}}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("/params/format"));

    given()
        .header("Authorization", Tokens.analyst("erin"))
        .contentType(ContentType.JSON)
        .body(
            """
            {"task":"exports.dataset","params":{"dataset":"simulation_runs","format":"geojson"}}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
  }

  @Test
  void anUnknownTaskIs400OnTheTaskField() {
    given()
        .header("Authorization", Tokens.analyst("erin"))
        .contentType(ContentType.JSON)
        .body("{\"task\":\"no.such_task\",\"params\":{}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/task"));
  }

  @Test
  void malformedJsonIs400WithoutAStackTrace() {
    String body =
        given()
            .header("Authorization", Tokens.analyst("erin"))
            .contentType(ContentType.JSON)
            .body("{\"task\": ")
            .post("/api/v1/jobs")
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .extract()
            .asString();
    assertThat(body).doesNotContain("Exception").doesNotContain("at org.");
  }

  @Test
  void theSameIdempotencyKeyAndBodyReturnTheSameJob() {
    String key = "key-" + UUID.randomUUID();
    String body = simulation("idem", 2000);
    String first = submit("frank", key, body).statusCode(202).extract().path("id");
    String second =
        submit("frank", key, body)
            .statusCode(202)
            .header("Idempotent-Replayed", "true")
            .extract()
            .path("id");
    assertThat(second).isEqualTo(first);

    submit("frank", key, simulation("idem", 3000))
        .statusCode(409)
        .contentType("application/problem+json");
    // Keys are per user: another user's identical key is another job.
    String other = submit("grace", key, body).statusCode(202).extract().path("id");
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void theSpecsKeyFieldsDedupeIdenticalSubmissionsWithoutAHeader() {
    String body = simulation("derived-" + UUID.randomUUID(), 1000);
    String first = submit("heidi", null, body).statusCode(202).extract().path("id");
    String again = submit("heidi", null, body).statusCode(202).extract().path("id");
    assertThat(again).isEqualTo(first);
  }

  @Test
  void listingShowsOnlyOwnJobsFilteredAndPaged() {
    String owner = "ivan-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      submit(owner, null, simulation("list-" + i, 1000)).statusCode(202);
    }
    submit("someone-else", null, simulation("list-x", 1000)).statusCode(202);

    var page1 =
        given()
            .header("Authorization", Tokens.analyst(owner))
            .queryParam("limit", 2)
            .queryParam("task", "analysis.run_simulation")
            .get("/api/v1/jobs")
            .then()
            .statusCode(200)
            .body("items", hasSize(2))
            .extract();
    String cursor = page1.path("nextCursor");
    given()
        .header("Authorization", Tokens.analyst(owner))
        .queryParam("limit", 2)
        .queryParam("cursor", cursor)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("nextCursor", nullValue());
    List<String> owners =
        given()
            .header("Authorization", Tokens.analyst(owner))
            .get("/api/v1/jobs")
            .then()
            .extract()
            .path("items.owner");
    assertThat(owners).hasSize(3).containsOnly(owner);

    given()
        .header("Authorization", Tokens.analyst(owner))
        .queryParam("status", "bogus")
        .get("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/status"));
  }

  @Test
  void theCatalogueListsVisibleTasksWithTheirSchemas() {
    given()
        .header("Authorization", Tokens.analyst("judy"))
        .get("/api/v1/tasks")
        .then()
        .statusCode(200)
        .body("name", hasItem("analysis.run_simulation"))
        // Hidden tasks (system.noop) stay out of the catalogue; other teams' tasks may be in it.
        .body("name", org.hamcrest.Matchers.not(hasItem("system.noop")))
        .body("find { it.name == 'analysis.run_simulation' }.inputSchema.required", hasItem("runs"))
        .body("find { it.name == 'analysis.run_simulation' }.requiredRole", equalTo("analyst"));
  }

  @Test
  void aNewJobsHistoryStartsWithQueued() {
    String id =
        submit("kim", null, simulation("history-" + UUID.randomUUID(), 1000))
            .statusCode(202)
            .extract()
            .path("id");
    given()
        .header("Authorization", Tokens.analyst("kim"))
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .statusCode(200)
        .body("[0].type", equalTo("queued"), "[0].attempt", equalTo(1));
  }

  private static io.restassured.response.ValidatableResponse submit(
      String user, String key, String body) {
    var request =
        given()
            .header("Authorization", Tokens.analyst(user))
            .contentType(ContentType.JSON)
            .body(body);
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return request.post("/api/v1/jobs").then();
  }
}
