package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Per-user enqueue limits at their defaults, but for a waiting-jobs cap of 1,200 in the test
 * profile: a refusal is 429 problem+json with Retry-After, counted by kind, and writes nothing.
 */
@QuarkusTest
class EnqueueQuotaTest {
  @Inject Pool pool;
  @Inject MeterRegistry meters;

  private static String simulations(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                "{\"task\":\"analysis.run_simulation\",\"params\":{\"scenario_id\":\""
                    + prefix
                    + i
                    + "\",\"runs\":1000,\"annual_event_rate\":1,\"severity\":{\"mu\":0,\"sigma\":1}}}")
        .collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
  }

  private static ValidatableResponse batch(String user, String body) {
    return given()
        .header("Authorization", Tokens.analyst(user))
        .contentType(ContentType.JSON)
        .body(body)
        .urlEncodingEnabled(false)
        .post("/api/v1/jobs:batch")
        .then();
  }

  private long jobsOf(String owner) {
    return pool.preparedQuery("SELECT count(*) FROM jobs WHERE owner = $1")
        .execute(Tuple.of(owner))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }

  private double refused(String kind) {
    Counter counter = meters.find("kfm.api.rate_limited").tag("kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aUserOverTheRateIs429WithRetryAfterAndNothingIsWritten() {
    String user = "rate-" + UUID.randomUUID();
    double before = refused("rate");
    // The burst (1,000 jobs) goes through at once; each job of a batch takes one token.
    batch(user, simulations("a", 1000)).statusCode(202);

    String retryAfter =
        batch(user, simulations("b", 500))
            .statusCode(429)
            .contentType("application/problem+json")
            .body("status", equalTo(429))
            .extract()
            .header("Retry-After");
    // 500 tokens at 20 a second: about 25 s, less what refilled while the first batch ran.
    assertThat(Long.parseLong(retryAfter)).isBetween(5L, 25L);
    assertThat(jobsOf(user)).isEqualTo(1000);
    assertThat(refused("rate") - before).isEqualTo(1);

    // Another user is not held back by this one.
    batch("rate-other-" + UUID.randomUUID(), simulations("c", 5)).statusCode(202);
  }

  @Test
  void aUserWithTooManyWaitingJobsIs429UntilSomeStartAndABatchCountsEachJob() {
    String user = "backlog-" + UUID.randomUUID();
    pool.preparedQuery(
            "INSERT INTO jobs (id, task, task_version, status, params, owner, params_hash, queue,"
                + " max_attempts, run_at) SELECT gen_random_uuid(), 'analysis.run_simulation', 1,"
                + " 'scheduled', '{}'::jsonb, $1, 'h' || g, 'cpu-heavy', 3, now() + interval '30"
                + " days' FROM generate_series(1, 1190) AS g")
        .execute(Tuple.of(user))
        .await()
        .atMost(Duration.ofSeconds(30));
    double before = refused("queued");

    batch(user, simulations("d", 11))
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Retry-After", equalTo("30"));
    assertThat(jobsOf(user)).isEqualTo(1190);
    assertThat(refused("queued") - before).isEqualTo(1);

    batch(user, simulations("e", 10)).statusCode(202);
    given()
        .header("Authorization", Tokens.analyst(user))
        .contentType(ContentType.JSON)
        .body(simulations("f", 1).replace("{\"jobs\":[", "").replace("]}", ""))
        .post("/api/v1/jobs")
        .then()
        .statusCode(429);
    assertThat(jobsOf(user)).isEqualTo(1200);

    // Started jobs no longer wait: room opens again.
    pool.preparedQuery(
            "UPDATE jobs SET status = 'running' WHERE id IN (SELECT id FROM jobs WHERE owner = $1"
                + " AND status = 'scheduled' LIMIT 1)")
        .execute(Tuple.of(user))
        .await()
        .atMost(Duration.ofSeconds(10));
    batch(user, simulations("g", 1)).statusCode(202);
  }

  @Test
  void aRetryOfAnAcceptedRequestGetsItsJobBackEvenOverTheRate() {
    String user = "retry-" + UUID.randomUUID();
    String one = simulations("r", 1).replace("{\"jobs\":[", "").replace("]}", "");
    String id =
        given()
            .header("Authorization", Tokens.analyst(user))
            .header("Idempotency-Key", "retry-1")
            .contentType(ContentType.JSON)
            .body(one)
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    batch(user, simulations("s", 999)).statusCode(202);
    batch(user, simulations("t", 100)).statusCode(429);

    given()
        .header("Authorization", Tokens.analyst(user))
        .header("Idempotency-Key", "retry-1")
        .contentType(ContentType.JSON)
        .body(one)
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(id));
    assertThat(jobsOf(user)).isEqualTo(1000);
  }

  @Test
  void theRefusalCounterCarriesNoUserName() {
    batch("metrics-" + UUID.randomUUID(), simulations("h", 1)).statusCode(202);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics.lines().filter(l -> l.startsWith("kfm_api_rate_limited_total")))
        .hasSize(2)
        .allSatisfy(
            l -> assertThat(l).doesNotContain("user").containsPattern("kind=\"(rate|queued)\""));
  }
}
