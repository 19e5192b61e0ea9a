package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.kfm.tasks.api.SucceededJobs.WAIT;
import static org.kfm.tasks.api.SucceededJobs.awaitStatus;
import static org.kfm.tasks.api.SucceededJobs.emit;
import static org.kfm.tasks.api.SucceededJobs.refOf;
import static org.kfm.tasks.api.SucceededJobs.submitSimulation;
import static org.kfm.tasks.api.SucceededJobs.succeeded;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.testing.KafkaTestClient;

/** The artifacts a worker reports with a success are recorded once, with the success only. */
@QuarkusTest
class ArtifactProjectionTest {
  private static final String OWNER = "ava";
  private static final byte[] CSV = "run,loss\n1,2.5\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] JSON = "{\"mean\":2.5}".getBytes(StandardCharsets.UTF_8);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject Pool pool;

  @Inject MeterRegistry meters;

  private KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private List<String> rows(UUID jobId) {
    List<String> rows = new ArrayList<>();
    pool.preparedQuery(
            "SELECT name, size, sha256, storage_key, attempt FROM job_artifacts"
                + " WHERE job_id = $1 ORDER BY name")
        .execute(Tuple.of(jobId))
        .await()
        .atMost(WAIT)
        .forEach(
            r ->
                rows.add(
                    r.getString("name")
                        + " "
                        + r.getLong("size")
                        + " "
                        + r.getString("sha256")
                        + " "
                        + r.getString("storage_key")
                        + " "
                        + r.getInteger("attempt")));
    return rows;
  }

  @Test
  void aProjectedSuccessRecordsItsArtifactsAndTheJobListsThem() {
    UUID id = submitSimulation(OWNER);
    ArtifactRef csv = refOf(id, "runs.csv", "text/csv", CSV);
    ArtifactRef json = refOf(id, "summary.json", "application/json", JSON);
    ArtifactRef foreign =
        new ArtifactRef(
            "other.csv", "text/csv", 1, csv.sha256(), "jobs/" + UUID.randomUUID() + "/other.csv");
    double refused = counter("kfm.projection.artifacts.refused");

    emit(kafka, succeeded(id, 1, List.of(csv, json, foreign)));
    awaitStatus(id, "succeeded");

    assertThat(rows(id))
        .containsExactly(
            "runs.csv " + CSV.length + " " + csv.sha256() + " jobs/" + id + "/runs.csv 1",
            "summary.json "
                + JSON.length
                + " "
                + json.sha256()
                + " jobs/"
                + id
                + "/summary.json 1");
    assertThat(counter("kfm.projection.artifacts.refused")).isEqualTo(refused + 1);
    given()
        .header("Authorization", Tokens.analyst(OWNER))
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("artifacts.name", contains("runs.csv", "summary.json"))
        .body("artifacts[0].contentType", equalTo("text/csv"))
        .body("artifacts[0].size", equalTo(CSV.length))
        .body("artifacts[0].sha256", equalTo(csv.sha256()))
        .body("artifacts[0].links.download", equalTo("/api/v1/jobs/" + id + "/artifacts/runs.csv"))
        .body("links.artifacts", equalTo("/api/v1/jobs/" + id + "/artifacts"));
    given()
        .header("Authorization", Tokens.analyst(OWNER))
        .get("/api/v1/jobs/" + id + "/artifacts")
        .then()
        .statusCode(200)
        .body("items.name", contains("runs.csv", "summary.json"))
        .body("items[1].size", equalTo(JSON.length))
        .body("items[1].createdAt", org.hamcrest.Matchers.notNullValue())
        .body("items[1].links.download", equalTo("/api/v1/jobs/" + id + "/artifacts/summary.json"));
  }

  @Test
  void aDuplicateOrLateSuccessChangesNoArtifact() {
    UUID id = submitSimulation(OWNER);
    ArtifactRef csv = refOf(id, "runs.csv", "text/csv", CSV);
    emit(kafka, succeeded(id, 1, List.of(csv)));
    awaitStatus(id, "succeeded");
    List<String> recorded = rows(id);
    double ignored = counter("kfm.projection.events", "type", "succeeded", "outcome", "ignored");

    // The same attempt reported again with other bytes, and a success of an attempt the job is not
    // at: both are ignored, and so are their artifacts.
    ArtifactRef changed = refOf(id, "runs.csv", "text/csv", JSON);
    ArtifactRef extra = refOf(id, "extra.csv", "text/csv", CSV);
    emit(kafka, succeeded(id, 1, List.of(changed, extra)));
    emit(kafka, succeeded(id, 2, List.of(extra)));
    await()
        .atMost(WAIT)
        .until(
            () ->
                counter("kfm.projection.events", "type", "succeeded", "outcome", "ignored")
                    >= ignored + 2);

    assertThat(rows(id)).isEqualTo(recorded);
    given()
        .header("Authorization", Tokens.analyst(OWNER))
        .get("/api/v1/jobs/" + id + "/artifacts")
        .then()
        .body("items.name", contains("runs.csv"))
        .body("items[0].sha256", equalTo(csv.sha256()));
  }

  @Test
  void aFailureRecordsNoArtifactsAndTheListIsEmpty() {
    UUID id = submitSimulation(OWNER);
    emit(
        kafka,
        org.kfm.tasks.contracts.JobEvent.failed(
            id,
            1,
            "w1",
            java.time.Instant.now(),
            new org.kfm.tasks.contracts.JobEvent.JobError("BAD_INPUT", "no", false, "e1")));
    awaitStatus(id, "failed");

    given()
        .header("Authorization", Tokens.analyst(OWNER))
        .get("/api/v1/jobs/" + id + "/artifacts")
        .then()
        .statusCode(200)
        .body("items", org.hamcrest.Matchers.empty());
    assertThat(rows(id)).isEmpty();
  }
}
