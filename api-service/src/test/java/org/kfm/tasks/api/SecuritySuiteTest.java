package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.api.SucceededJobs.awaitStatus;
import static org.kfm.tasks.api.SucceededJobs.emit;
import static org.kfm.tasks.api.SucceededJobs.refOf;
import static org.kfm.tasks.api.SucceededJobs.store;
import static org.kfm.tasks.api.SucceededJobs.submitSimulation;
import static org.kfm.tasks.api.SucceededJobs.succeeded;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * Every operation of the OpenAPI document, checked for who may call it: without a token 401; with a
 * token lacking the operation's role 403; on another user's job 404; as admin let through. The
 * table below must name every operation the document lists, and nothing else: a new endpoint fails
 * this test until someone decides who may call it.
 */
@QuarkusTest
class SecuritySuiteTest {
  private static final String OWNER = "sec-owner-" + UUID.randomUUID();
  private static final String INTRUDER = "sec-intruder-" + UUID.randomUUID();
  private static final String ARTIFACT = "losses.csv";
  private static final byte[] CONTENT = "year,loss\n1,2\n".getBytes(StandardCharsets.UTF_8);
  private static final String SIMULATION_PARAMS =
      "{\"scenario_id\":\"sec\",\"runs\":1000,\"annual_event_rate\":1.5,"
          + "\"severity\":{\"mu\":0,\"sigma\":1}}";
  private static final String SIMULATION =
      "{\"task\":\"analysis.run_simulation\",\"params\":" + SIMULATION_PARAMS + "}";

  private static UUID job;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject ArtifactStore artifacts;

  /** Who may call an operation, and how to call it. */
  record Rule(
      String method,
      String path,
      String body,
      /** A role that is not enough, or null when any signed-in user may call it (say why). */
      String insufficientRole,
      /** Why any signed-in user may call it; null when a role applies. */
      String openToAnyUser,
      /** Whether the operation acts on one user's job: others get 404. */
      boolean ownedJob,
      /** What an admin gets: the operation's own answer, not a refusal. */
      int adminStatus) {

    String key() {
      return method + " " + path;
    }

    String url() {
      return path.replace("{id}", job.toString())
          .replace("{name}", ARTIFACT)
          .replace("{layer}", "simulation_sites")
          .replace("{z}", "2")
          .replace("{x}", "1")
          .replace("{y}", "1.png")
          .replace("{route}", "api/simulation/run");
    }

    Response send(String authorization) {
      RequestSpecification request = given().urlEncodingEnabled(false);
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (body != null) {
        request.contentType("application/json").body(body);
      }
      return request.request(method, url());
    }
  }

  private static final String SCHEDULE = "sec-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String EVENT =
      """
      {"specversion":"1.0","id":"%s","source":"urn:kfm:test:security","type":"imagery.arrived",
       "data":{"scene_id":"sec-scene","sensor":"sentinel-2b","acquired_at":"2026-11-30T10:03:19Z",
        "cloud_cover":12.5,"bbox":[24.5,60.0,25.4,60.4],
        "footprint":{"type":"Polygon","coordinates":[[[24.5,60.0],[25.4,60.0],[25.4,60.4],[24.5,60.4],[24.5,60.0]]]}}}
      """;

  /** Every operation of the API; the document and this table must list the same ones. */
  private static List<Rule> rules() {
    String schedule =
        "{\"name\":\"%s\",\"cron\":\"0 3 * * *\",\"timeZone\":\"UTC\",\"task\":\"system.noop\",\"params\":{}}";
    String jobs = "/api/v1/jobs/{id}";
    return List.of(
        new Rule("POST", "/api/v1/jobs", SIMULATION, "viewer", null, false, 202),
        new Rule(
            "GET",
            "/api/v1/jobs",
            null,
            null,
            "lists only the caller's own jobs (checked below)",
            false,
            200),
        new Rule(
            "POST",
            "/api/v1/jobs:batch",
            "{\"jobs\":[" + SIMULATION + "]}",
            "viewer",
            null,
            false,
            202),
        new Rule("GET", jobs, null, null, "a job's owner needs no role to read it", true, 200),
        new Rule("GET", jobs + "/events", null, null, "its owner reads its history", true, 200),
        // Succeeded jobs cannot be canceled or retried: 409 is the job's answer, past every check.
        new Rule("POST", jobs + "/cancel", null, null, "its owner may cancel it", true, 409),
        new Rule("POST", jobs + "/retry", null, null, "its owner may retry it", true, 409),
        new Rule("GET", jobs + "/artifacts", null, null, "its owner lists its files", true, 200),
        new Rule(
            "GET",
            jobs + "/artifacts/{name}",
            null,
            null,
            "its owner downloads its files",
            true,
            200),
        new Rule(
            "GET",
            "/api/v1/tasks",
            null,
            null,
            "the catalogue is the same for everyone",
            false,
            200),
        new Rule(
            "GET",
            "/api/v1/tiles/{layer}/{z}/{x}/{y}",
            null,
            null,
            "reference imagery, no one's private data",
            false,
            404),
        new Rule(
            "POST",
            "/api/v1/events",
            EVENT.formatted(UUID.randomUUID()),
            "analyst",
            null,
            false,
            202),
        new Rule("POST", "/{route}", SIMULATION_PARAMS, "viewer", null, false, 202),
        new Rule("GET", "/api/v1/schedules", null, "analyst", null, false, 200),
        new Rule(
            "POST", "/api/v1/schedules", schedule.formatted(SCHEDULE), "analyst", null, false, 201),
        new Rule("GET", "/api/v1/schedules/{name}", null, "analyst", null, false, 404),
        new Rule(
            "PUT",
            "/api/v1/schedules/{name}",
            schedule.formatted(ARTIFACT),
            "analyst",
            null,
            false,
            404),
        new Rule("DELETE", "/api/v1/schedules/{name}", null, "analyst", null, false, 404),
        new Rule("POST", "/api/v1/schedules/{name}/pause", null, "analyst", null, false, 404),
        new Rule("POST", "/api/v1/schedules/{name}/resume", null, "analyst", null, false, 404),
        new Rule("POST", "/api/v1/schedules/{name}/run", null, "analyst", null, false, 404));
  }

  @BeforeEach
  synchronized void aSucceededJobWithAFile() {
    if (job != null) {
      return;
    }
    UUID id = submitSimulation(OWNER);
    ArtifactRef ref = refOf(id, ARTIFACT, "text/csv", CONTENT);
    store(artifacts, ref, CONTENT);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      emit(kafka, succeeded(id, 1, List.of(ref)));
    }
    awaitStatus(id, "succeeded");
    job = id;
  }

  @Test
  void theTableNamesEveryOperationOfTheDocumentAndNoOther() {
    JsonNode paths =
        Wire.fromJson(
                given().get("/q/openapi?format=json").then().statusCode(200).extract().asString(),
                JsonNode.class)
            .path("paths");
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options")
                    .contains(method)) {
                  documented.add(method.toUpperCase() + " " + path.getKey());
                }
              });
    }
    Set<String> tabled = new TreeSet<>(rules().stream().map(Rule::key).toList());
    assertThat(documented).as("operations of /q/openapi").isNotEmpty();
    assertThat(tabled)
        .as("every documented operation needs a rule in SecuritySuiteTest.rules()")
        .containsAll(documented);
    assertThat(documented).as("rules for operations the API no longer has").containsAll(tabled);
  }

  @Test
  void everyRuleSaysEitherWhichRoleFallsShortOrWhyAnyUserMay() {
    for (Rule rule : rules()) {
      assertThat(rule.insufficientRole() == null)
          .as(rule.key())
          .isEqualTo(rule.openToAnyUser() != null);
    }
  }

  @TestFactory
  Stream<DynamicTest> withoutATokenEveryOperationIs401() {
    return rules().stream()
        .map(
            rule ->
                DynamicTest.dynamicTest(
                    rule.key(),
                    () -> {
                      Response response = rule.send(null);
                      assertThat(response.statusCode()).as(rule.key()).isEqualTo(401);
                      assertThat(response.contentType()).startsWith("application/problem+json");
                      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> withoutTheOperationsRoleIs403() {
    return rules().stream()
        .filter(rule -> rule.insufficientRole() != null)
        .map(
            rule ->
                DynamicTest.dynamicTest(
                    rule.key(),
                    () -> {
                      Response response =
                          rule.send(Tokens.bearer(INTRUDER, rule.insufficientRole()));
                      assertThat(response.statusCode()).as(rule.key()).isEqualTo(403);
                      assertThat(response.contentType()).startsWith("application/problem+json");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> anotherUsersJobIs404AsIfItDidNotExist() {
    return rules().stream()
        .filter(Rule::ownedJob)
        .map(
            rule ->
                DynamicTest.dynamicTest(
                    rule.key(),
                    () -> {
                      // Every role but admin: holding the task's role does not open others' jobs.
                      Response response =
                          rule.send(Tokens.bearer(INTRUDER, "analyst", "viewer", "producer"));
                      assertThat(response.statusCode()).as(rule.key()).isEqualTo(404);
                      assertThat(response.contentType()).startsWith("application/problem+json");
                      assertThat(response.asString()).doesNotContain(OWNER);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> theOwnerMayActOnTheirJob() {
    return rules().stream()
        .filter(Rule::ownedJob)
        .map(
            rule ->
                DynamicTest.dynamicTest(
                    rule.key(),
                    () ->
                        assertThat(rule.send(Tokens.analyst(OWNER)).statusCode())
                            .as(rule.key())
                            .isEqualTo(rule.adminStatus())));
  }

  @TestFactory
  Stream<DynamicTest> anAdminIsLetThroughEverywhere() {
    return rules().stream()
        .map(
            rule ->
                DynamicTest.dynamicTest(
                    rule.key(),
                    () -> {
                      Response response = rule.send(Tokens.admin());
                      assertThat(response.statusCode())
                          .as(rule.key() + ": " + response.asString())
                          .isEqualTo(rule.adminStatus());
                    }));
  }

  @Test
  void aListingShowsOnlyTheCallersJobsWhateverOwnerItAsksFor() {
    List<String> owners =
        given()
            .header("Authorization", Tokens.analyst(INTRUDER))
            .get("/api/v1/jobs?owner=" + OWNER)
            .then()
            .statusCode(200)
            .extract()
            .path("items.owner");
    assertThat(owners).doesNotContain(OWNER);
    List<String> asAdmin =
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/jobs?owner=" + OWNER)
            .then()
            .statusCode(200)
            .extract()
            .path("items.owner");
    assertThat(asAdmin).isNotEmpty().containsOnly(OWNER);
  }
}
