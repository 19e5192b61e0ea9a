package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or careless client may send: bodies too large or too deep, fields no request has,
 * other content types, wrong methods and routes, malformed JSON, markup and SQL in every string.
 * Each refusal is problem+json; nothing of the request is stored.
 */
@QuarkusTest
class InputHardeningTest {
  @jakarta.inject.Inject io.vertx.mutiny.sqlclient.Pool pool;

  @TestHTTPResource("/api/v1/jobs")
  URI jobsUrl;

  private static ValidatableResponse submit(String user, String body) {
    return given()
        .header("Authorization", Tokens.bearer(user, "analyst"))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/jobs")
        .then();
  }

  private static int jobsOf(String user) {
    return given()
        .header("Authorization", Tokens.analyst(user))
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .extract()
        .path("items.size()");
  }

  private static ValidatableResponse isProblem(ValidatableResponse response, int status) {
    return response
        .statusCode(status)
        .contentType("application/problem+json")
        .body("status", equalTo(status), "errorId", notNullValue());
  }

  @Test
  void aBodyOverTheLimitIs413ProblemDetailsAndStoresNothing() {
    String user = "big-" + UUID.randomUUID();
    String big = "{\"task\":\"system.noop\",\"params\":{\"x\":\"" + "a".repeat(1_100_000) + "\"}}";
    isProblem(submit(user, big), 413).body("detail", containsString("1048576"));
    assertThat(jobsOf(user)).isZero();
  }

  @Test
  void aChunkedBodyOverTheLimitIs413ProblemDetailsAndStoresNothing() throws Exception {
    String user = "chunked-" + UUID.randomUUID();
    // One byte over the limit, sent without a length: only counting while it is read finds it.
    String prefix = "{\"task\":\"system.noop\",\"params\":{\"x\":\"";
    String suffix = "\"}}";
    String big = prefix + "a".repeat(1_048_577 - prefix.length() - suffix.length()) + suffix;

    HttpResponse<String> refused = submitChunked(user, big);

    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body())
        .contains("\"status\":413")
        .contains("\"title\":\"Payload too large\"")
        .contains("at most 1048576 bytes")
        .contains("\"errorId\":");
    assertThat(jobsOf(user)).isZero();
    // A chunked body within the limit is read as any other.
    HttpResponse<String> accepted =
        submitChunked(
            user,
            "{\"task\":\"ingest.noaa_forecast\",\"params\":"
                + "{\"office\":\"TOP\",\"grid_x\":7,\"grid_y\":8}}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
  }

  /** A submission whose body has no declared length: HTTP/1.1 sends it chunked. */
  private HttpResponse<String> submitChunked(String user, String body) throws Exception {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(jobsUrl)
            .header("Authorization", Tokens.bearer(user, "analyst"))
            .header("Content-Type", "application/json")
            .timeout(java.time.Duration.ofSeconds(30))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(bytes)))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void paramsNestedDeeperThanTheLimitAre400NamingTheMember() {
    String user = "deep-" + UUID.randomUUID();
    String deep = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
    isProblem(submit(user, "{\"task\":\"system.noop\",\"params\":" + deep + "}"), 400)
        .body("errors[0].field", startsWith("/params/a/a/a/a"))
        .body("errors[0].message", containsString("deeper than 12"));
    // Far deeper than any limit of ours: the parser's own bound answers, still as problem+json.
    // Sent as bytes: on a failure the client would pretty-print a JSON string, quadratically.
    byte[] abyss =
        ("{\"task\":\"system.noop\",\"params\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    isProblem(
        given()
            .header("Authorization", Tokens.bearer(user, "analyst"))
            .contentType("application/json")
            .body(abyss)
            .post("/api/v1/jobs")
            .then(),
        400);
    assertThat(jobsOf(user)).isZero();
  }

  @Test
  void tooManyValuesOrTooLongAStringIn_paramsAre400() {
    String user = "wide-" + UUID.randomUUID();
    String wide = "[" + "1,".repeat(10_500) + "1]";
    isProblem(submit(user, "{\"task\":\"system.noop\",\"params\":{\"list\":" + wide + "}}"), 400)
        .body("errors[0].field", equalTo("/params"));
    String longText = "x".repeat(9000);
    isProblem(
            submit(user, "{\"task\":\"system.noop\",\"params\":{\"note\":\"" + longText + "\"}}"),
            400)
        .body("errors[0].field", equalTo("/params/note"));
    assertThat(jobsOf(user)).isZero();
  }

  @Test
  void aFieldNoRequestHasIs400NamingIt() {
    String user = "typo-" + UUID.randomUUID();
    isProblem(submit(user, "{\"task\":\"system.noop\",\"params\":{},\"run_at\":\"x\"}"), 400)
        .body("errors[0].field", equalTo("/run_at"))
        .body("detail", containsString("unknown field run_at"));
    isProblem(
            given()
                .header("Authorization", Tokens.bearer(user, "analyst"))
                .contentType(ContentType.JSON)
                .body("{\"jobs\":[{\"task\":\"system.noop\",\"params\":{},\"owner\":\"root\"}]}")
                .urlEncodingEnabled(false)
                .post("/api/v1/jobs:batch")
                .then(),
            400)
        .body("errors[0].field", equalTo("/jobs/0/owner"));
    isProblem(
            given()
                .header("Authorization", Tokens.admin())
                .contentType(ContentType.JSON)
                .body(
                    Schedules.noop(Schedules.uniqueName("extra"), "0 3 * * *", ",\"owner\":\"x\""))
                .post("/api/v1/schedules")
                .then(),
            400)
        .body("errors[0].field", equalTo("/owner"));
    assertThat(jobsOf(user)).isZero();
  }

  @Test
  void malformedJsonIs400WithWhereItBroke() {
    isProblem(
            submit("broken-" + UUID.randomUUID(), "{\"task\": \"system.noop\", \"params\": {"), 400)
        .body("detail", containsString("line 1, column"));
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    for (String type :
        List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
      isProblem(
          given()
              .header("Authorization", Tokens.admin())
              .contentType(type)
              .body("task=system.noop")
              .post("/api/v1/jobs")
              .then(),
          415);
    }
  }

  @Test
  void frameworkRefusalsAreProblemDetailsToo() {
    String admin = Tokens.admin();
    isProblem(given().header("Authorization", admin).delete("/api/v1/jobs").then(), 405);
    isProblem(given().header("Authorization", admin).put("/api/v1/tasks").then(), 405);
    isProblem(given().header("Authorization", admin).get("/api/v1/no-such-thing").then(), 404);
    isProblem(given().get("/api/v2/jobs").then(), 404);
    isProblem(given().header("Authorization", admin).get("/nothing/here").then(), 404);
    // A task route exists for POST only.
    isProblem(given().header("Authorization", admin).get("/api/simulation/run").then(), 405);
    isProblem(
        given().header("Authorization", admin).accept("text/html").get("/api/v1/jobs").then(), 406);
    String html =
        given()
            .header("Authorization", admin)
            .accept("text/html")
            .get("/api/v1/nowhere")
            .asString();
    assertThat(html).doesNotContainIgnoringCase("<html").doesNotContain("Exception");
  }

  @Test
  void markupAndSqlInEveryStringAreStoredInertAndReturnedEscaped() {
    String script = "<script>alert(1)</script>";
    String sql = "x'); DROP TABLE jobs; --";
    String user = script + sql + UUID.randomUUID();
    String body =
        """
        {"task":"analysis.run_simulation","params":{"scenario_id":"%s","runs":1000,
         "annual_event_rate":1.5,"severity":{"mu":0,"sigma":1}},
         "lineage":{"pipeline_run_id":"%s"}}
        """
            .formatted(script + sql, script + sql);
    String key = "k'\";--<b>" + UUID.randomUUID();
    String id =
        given()
            .header("Authorization", Tokens.analyst(user))
            .header("Idempotency-Key", key)
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    var read =
        given()
            .header("Authorization", Tokens.analyst(user))
            .get("/api/v1/jobs/" + id)
            .then()
            .statusCode(200)
            .contentType(startsWith("application/json"))
            .header("X-Content-Type-Options", "nosniff")
            .extract();
    assertThat((String) read.path("owner")).isEqualTo(user);
    // Stored as sent: the row holds the strings submitted, character for character.
    var row =
        pool.preparedQuery(
                "SELECT params->>'scenario_id' AS s, lineage->>'pipeline_run_id' AS p,"
                    + " idempotency_key AS k FROM jobs WHERE id = $1")
            .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(id)))
            .await()
            .atMost(java.time.Duration.ofSeconds(10))
            .iterator()
            .next();
    assertThat(row.getString("s")).isEqualTo(script + sql);
    assertThat(row.getString("p")).isEqualTo(script + sql);
    assertThat(row.getString("k")).isEqualTo(key);
    // Escaped on the wire: no markup a browser or a log viewer could take for a tag.
    assertThat(read.asString()).doesNotContain("<script>").contains("\\u003Cscript\\u003E");
    // The statement was data: the table is there and the user's list holds the one job.
    assertThat(jobsOf(user)).isEqualTo(1);
    given()
        .header("Authorization", Tokens.analyst(user))
        .queryParam("task", sql)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
    String refusal =
        submit(user, "{\"task\":\"" + script + "\",\"params\":{}}")
            .statusCode(400)
            .extract()
            .asString();
    assertThat(refusal).doesNotContain("<script>");
  }

  @Test
  void artifactNamesThatClimbOutOfTheJobAreRefused() {
    String id = UUID.randomUUID().toString();
    for (String name :
        List.of(
            "..", "..%2F..%2Fsecret.txt", "%2e%2e", "a%2Fb", "%2e%2e%2f%2e%2e%2fetc%2fpasswd")) {
      var response =
          given()
              .header("Authorization", Tokens.admin())
              .urlEncodingEnabled(false)
              .get("/api/v1/jobs/" + id + "/artifacts/" + name)
              .then()
              .contentType("application/problem+json")
              .extract();
      assertThat(response.statusCode()).as(name).isIn(400, 404);
    }
    isProblem(
            given()
                .header("Authorization", Tokens.admin())
                .urlEncodingEnabled(false)
                .get("/api/v1/jobs/" + id + "/artifacts/..%2Fsecret.txt")
                .then(),
            400)
        .body("errors.field", hasItem("/name"));
  }
}
