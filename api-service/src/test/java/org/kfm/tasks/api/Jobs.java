package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Submissions the API tests share. */
final class Jobs {
  private Jobs() {}

  /** Submits a {@code system.noop} to run now, as admin; returns its id. */
  static String submitNoop() {
    return given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body("{\"task\":\"system.noop\",\"params\":{}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  /** Submits a {@code system.noop} as the one job of a batch, as admin; returns its id. */
  static String submitNoopInBatch() {
    return given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body("{\"jobs\":[{\"task\":\"system.noop\",\"params\":{}}]}")
        .urlEncodingEnabled(false)
        .post("/api/v1/jobs:batch")
        .then()
        .statusCode(202)
        .extract()
        .path("items[0].id");
  }
}
