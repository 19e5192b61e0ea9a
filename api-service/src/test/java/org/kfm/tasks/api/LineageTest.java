package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/** A job's lineage: declared on submit, checked against the spec, recorded, shown, dispatched. */
@QuarkusTest
class LineageTest {
  private static final String USER = "lina";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static String simulation(String lineage) {
    return """
        {"task":"analysis.run_simulation","params":{"scenario_id":"%s","runs":1000,
         "annual_event_rate":1.5,"severity":{"mu":0,"sigma":1}}%s}
        """
        .formatted(UUID.randomUUID(), lineage == null ? "" : ",\"lineage\":" + lineage);
  }

  private static io.restassured.response.ValidatableResponse submit(String body) {
    return given()
        .header("Authorization", Tokens.analyst(USER))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/jobs")
        .then();
  }

  @Test
  void declaredLineageIsRecordedShownAndCarriedByTheCommand() {
    String id =
        submit(
                simulation(
                    "{\"pipeline_run_id\":\"run-42\","
                        + "\"input_dataset_versions\":{\"rainfall\":\"2026-11\",\"dem\":\"v3\"}}"))
            .statusCode(202)
            .extract()
            .path("id");

    given()
        .header("Authorization", Tokens.analyst(USER))
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("lineage.jobId", equalTo(id))
        .body("lineage.task", equalTo("analysis.run_simulation"))
        .body("lineage.taskVersion", equalTo(1))
        .body("lineage.attempt", equalTo(1))
        .body("lineage.pipeline_run_id", equalTo("run-42"))
        .body("lineage.input_dataset_versions.rainfall", equalTo("2026-11"))
        .body("links.artifacts", equalTo("/api/v1/jobs/" + id + "/artifacts"))
        .body("artifacts", org.hamcrest.Matchers.empty());

    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      var record =
          kafka.await("kfm.tasks.cpu-heavy", r -> r.key().equals(id), 1, Duration.ofSeconds(30));
      JsonNode lineage = Wire.fromJson(record.get(0).value(), TaskCommand.class).lineage();
      assertThat(lineage.path("jobId").asText()).isEqualTo(id);
      assertThat(lineage.path("pipeline_run_id").asText()).isEqualTo("run-42");
      assertThat(lineage.path("input_dataset_versions").path("dem").asText()).isEqualTo("v3");
    }
  }

  @Test
  void aMalformedFieldIs400NamingItsPath() {
    submit(simulation("{\"pipeline_run_id\":\"" + "r".repeat(129) + "\"}"))
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("/lineage/pipeline_run_id"))
        .body("errorId", not(nullValue()));
    submit(simulation("{\"input_dataset_versions\":{\"rainfall\":7}}"))
        .statusCode(400)
        .body("errors.field", contains("/lineage/input_dataset_versions/rainfall"));
  }

  @Test
  void aFieldTheTaskDoesNotRecordIsRefused() {
    submit(simulation("{\"unknown_key\":\"x\"}"))
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("/lineage/unknown_key"));
  }

  @Test
  void aBatchChecksEachItemsLineageAndRecordsIt() {
    String good = simulation("{\"pipeline_run_id\":\"b-1\"}");
    String bad =
        "{\"task\":\"system.noop\",\"params\":{},\"lineage\":{\"pipeline_run_id\":\"b-1\"}}";
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body("{\"jobs\":[" + good + "," + bad + "]}")
        .urlEncodingEnabled(false)
        .post("/api/v1/jobs:batch")
        .then()
        .statusCode(400)
        .body("errors.field", contains("/jobs/1/lineage/pipeline_run_id"));

    String id =
        given()
            .header("Authorization", Tokens.admin())
            .contentType(ContentType.JSON)
            .body("{\"jobs\":[" + simulation("{\"pipeline_run_id\":\"b-2\"}") + "]}")
            .urlEncodingEnabled(false)
            .post("/api/v1/jobs:batch")
            .then()
            .statusCode(202)
            .extract()
            .path("items[0].id");
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .body("lineage.jobId", equalTo(id))
        .body("lineage.pipeline_run_id", equalTo("b-2"));
  }

  @Test
  void aTaskRoutesJobRecordsItsIdentityOnlyAndListingsLeaveLineageOut() {
    String id =
        given()
            .header("Authorization", Tokens.analyst(USER))
            .contentType(ContentType.JSON)
            .body(
                "{\"scenario_id\":\"route-"
                    + UUID.randomUUID()
                    + "\",\"runs\":1000,\"annual_event_rate\":1.5,"
                    + "\"severity\":{\"mu\":0,\"sigma\":1}}")
            .post("/api/simulation/run")
            .then()
            .statusCode(202)
            .extract()
            .path("id");

    given()
        .header("Authorization", Tokens.analyst(USER))
        .get("/api/v1/jobs/" + id)
        .then()
        .body("lineage.jobId", equalTo(id))
        .body("lineage.task", equalTo("analysis.run_simulation"))
        .body("lineage", not(hasKey("pipeline_run_id")));
    given()
        .header("Authorization", Tokens.analyst(USER))
        .queryParam("limit", 5)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .body("items[0]", not(hasKey("lineage")))
        .body("items[0]", not(hasKey("artifacts")))
        .body("items[0].links.artifacts", not(nullValue()));
  }
}
