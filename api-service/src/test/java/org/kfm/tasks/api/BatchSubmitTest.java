package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.testing.KafkaTestClient;

@QuarkusTest
class BatchSubmitTest {
  // RestAssured would percent-encode the colon of "jobs:batch"; clients send it as is.
  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static String noops(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "{\"task\":\"system.noop\",\"params\":{}}")
        .collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
  }

  @Test
  void aBatchIsAcceptedInOneGoAndEveryJobIsPublished() {
    List<String> ids =
        given()
            .header("Authorization", Tokens.admin())
            .contentType(ContentType.JSON)
            .body(noops(50))
            .urlEncodingEnabled(false)
            .post("/api/v1/jobs:batch")
            .then()
            .statusCode(202)
            .body("items", hasSize(50))
            .body("replayed", equalTo(0))
            .extract()
            .path("items.id");
    assertThat(ids).doesNotHaveDuplicates();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      var set = java.util.Set.copyOf(ids);
      kafka.await(
          "kfm.tasks.latency-sensitive", r -> set.contains(r.key()), 50, Duration.ofSeconds(30));
    }
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + ids.get(49) + "/events")
        .then()
        .body("[0].type", equalTo("queued"));
  }

  @Test
  void aClientThatPercentEncodesTheColonReachesTheSameEndpoint() {
    for (String path : List.of("/api/v1/jobs%3Abatch", "/api/v1/jobs%3abatch")) {
      given()
          .header("Authorization", Tokens.admin())
          .contentType(ContentType.JSON)
          .body(noops(2))
          .urlEncodingEnabled(false)
          .post(path)
          .then()
          .statusCode(202)
          .body("items", hasSize(2));
    }
  }

  @Test
  void oneInvalidJobRefusesTheWholeBatchNamingItsFields() {
    String owner = "batch-" + UUID.randomUUID();
    given()
        .header("Authorization", Tokens.bearer(owner, "admin"))
        .contentType(ContentType.JSON)
        .body(
            "{\"jobs\":[{\"task\":\"system.noop\",\"params\":{}},"
                + "{\"task\":\"system.noop\",\"params\":{\"sleep_ms\":-1}},{\"task\":\"nope.nope\"}]}")
        .urlEncodingEnabled(false)
        .post("/api/v1/jobs:batch")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("/jobs/1/params/sleep_ms"))
        .body("errors.field", hasItem("/jobs/2/task"));
    given()
        .header("Authorization", Tokens.bearer(owner, "admin"))
        .get("/api/v1/jobs?owner=" + owner)
        .then()
        .body("items", hasSize(0));
  }

  @Test
  void moreThanAThousandJobsIs413() {
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(noops(1001))
        .urlEncodingEnabled(false)
        .post("/api/v1/jobs:batch")
        .then()
        .statusCode(413)
        .contentType("application/problem+json");
  }

  @Test
  void itemsWithAKnownIdempotencyKeyReturnTheExistingJob() {
    String key = "k-" + UUID.randomUUID();
    String body =
        "{\"jobs\":[{\"task\":\"system.noop\",\"params\":{},\"idempotencyKey\":\"" + key + "\"}]}";
    String first =
        given()
            .header("Authorization", Tokens.admin())
            .contentType(ContentType.JSON)
            .body(body)
            .urlEncodingEnabled(false)
            .post("/api/v1/jobs:batch")
            .then()
            .statusCode(202)
            .extract()
            .path("items[0].id");
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(body)
        .urlEncodingEnabled(false)
        .post("/api/v1/jobs:batch")
        .then()
        .statusCode(202)
        .body("items[0].id", equalTo(first))
        .body("replayed", equalTo(1));
  }
}
