package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.testing.TestKeys;

@QuarkusTest
class AuthMatrixTest {
  private static final String SIMULATION =
      """
      {"task":"analysis.run_simulation","params":{"scenario_id":"auth","runs":1000,
       "annual_event_rate":1.5,"severity":{"mu":0,"sigma":1}}}
      """;

  private static io.restassured.response.ValidatableResponse submitWith(String authorization) {
    var request = given().contentType(ContentType.JSON).body(SIMULATION);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.post("/api/v1/jobs").then();
  }

  @Test
  void noTokenIs401WithProblemDetails() {
    submitWith(null)
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("status", equalTo(401), "errorId", notNullValue());
  }

  @Test
  void aTokenSignedByAnotherKeyIs401() {
    submitWith("Bearer " + TestKeys.foreignToken("mallory", "analyst"))
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void anExpiredTokenIs401() {
    submitWith("Bearer " + TestKeys.current().expiredToken("alice", "analyst")).statusCode(401);
  }

  @Test
  void aTokenFromAnotherIssuerIs401() {
    submitWith(
            "Bearer "
                + TestKeys.current().tokenFromIssuer("https://evil.example", "alice", "analyst"))
        .statusCode(401);
  }

  @Test
  void aTokenForAnotherAudienceIs401() {
    submitWith(
            "Bearer "
                + TestKeys.current().tokenForAudience("https://other-service", "alice", "analyst"))
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void anUnsignedTokenIs401() throws Exception {
    // alg none: the same claims a good token carries, and no signature at all.
    String good = TestKeys.current().token("eve", "admin");
    String claims = good.split("\\.")[1];
    String header =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    submitWith("Bearer " + header + "." + claims + ".").statusCode(401);
    // Signed with HS256 and the public key as the secret: the classic RS256/HS256 confusion.
    String hs =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            java.nio.file.Files.readAllBytes(TestKeys.current().publicKeyPem()), "HmacSHA256"));
    String signature =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal((hs + "." + claims).getBytes()));
    submitWith("Bearer " + hs + "." + claims + "." + signature).statusCode(401);
  }

  @Test
  void anExpiryWithinTheStatedClockSkewIsAcceptedAndBeyondItIsNot() {
    // mp.jwt.verify.clock.skew is 30 s.
    submitWith(
            "Bearer "
                + TestKeys.current().tokenExpiredFor(Duration.ofSeconds(5), "skew", "analyst"))
        .statusCode(202);
    submitWith(
            "Bearer "
                + TestKeys.current().tokenExpiredFor(Duration.ofSeconds(90), "skew", "analyst"))
        .statusCode(401);
  }

  @Test
  void aTamperedTokenIs401() {
    String token = TestKeys.current().token("alice", "analyst");
    String[] parts = token.split("\\.");
    String forged =
        parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    submitWith("Bearer " + forged).statusCode(401);
  }

  @Test
  void aRememberedTokenIsServedFromTheCacheButATamperedCopyIsStill401() {
    String token = TestKeys.current().token("erin", "analyst");
    double hitsBefore = verifiedTokenHits();
    for (int i = 0; i < 3; i++) {
      given().header("Authorization", "Bearer " + token).get("/api/v1/jobs").then().statusCode(200);
    }
    org.assertj.core.api.Assertions.assertThat(verifiedTokenHits() - hitsBefore)
        .isGreaterThanOrEqualTo(2);
    String[] parts = token.split("\\.");
    String forged =
        parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    given().header("Authorization", "Bearer " + forged).get("/api/v1/jobs").then().statusCode(401);
  }

  private static double verifiedTokenHits() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return metrics
        .lines()
        .filter(l -> l.startsWith("cache_gets_total{") && l.contains("kfm.auth.verified-tokens"))
        .filter(l -> l.contains("result=\"hit\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void withoutTheTasksRoleIs403() {
    submitWith(Tokens.bearer("bob", "viewer"))
        .statusCode(403)
        .contentType("application/problem+json")
        .body("detail", equalTo("task analysis.run_simulation requires role analyst"));
  }

  @Test
  void anotherUsersJobIs404AndAnAdminSeesIt() {
    String id = submitWith(Tokens.analyst("carol")).statusCode(202).extract().path("id");

    given()
        .header("Authorization", Tokens.analyst("dave"))
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given()
        .header("Authorization", Tokens.analyst("dave"))
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("owner", equalTo("carol"));
  }
}
