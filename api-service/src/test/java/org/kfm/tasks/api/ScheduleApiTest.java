package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduleApiTest {
  @Inject Pool pool;

  @Test
  void anInvalidCronIs400NamingCronWithTheParsersMessage() {
    Schedules.create(Schedules.noop(Schedules.uniqueName("bad-cron"), "61 * * * *", ""))
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("/cron"), "errors[0].message", containsString("61"));
  }

  @Test
  void anUnknownTimeZoneIs400NamingTimeZone() {
    Schedules.create(
            """
            {"name":"%s","cron":"0 * * * *","timeZone":"Mars/Olympus","task":"system.noop"}
            """
                .formatted(Schedules.uniqueName("bad-zone")))
        .statusCode(400)
        .body("errors.field", hasItem("/timeZone"));
  }

  @Test
  void anUnknownTaskIs400NamingTask() {
    Schedules.create(
            """
            {"name":"%s","cron":"0 * * * *","task":"no.such_task"}
            """
                .formatted(Schedules.uniqueName("bad-task")))
        .statusCode(400)
        .body("errors.field", hasItem("/task"));
  }

  @Test
  void paramsOutsideTheTasksSchemaAre400WithTheirPathUnderParams() {
    Schedules.create(
            """
            {"name":"%s","cron":"0 * * * *","task":"system.noop","params":{"sleep_ms":-5}}
            """
                .formatted(Schedules.uniqueName("bad-params")))
        .statusCode(400)
        .body("errors.field", hasItem("/params/sleep_ms"));
  }

  @Test
  void aBadNameAndAnUnknownPolicyAreReportedTogether() {
    Schedules.create(
            """
            {"name":"Has Spaces","cron":"0 * * * *","task":"system.noop","overlap":"never"}
            """)
        .statusCode(400)
        .body("errors.field", hasItem("/name"), "errors.field", hasItem("/overlap"));
  }

  @Test
  void aTakenNameIs409() {
    String name = Schedules.uniqueName("dup");
    Schedules.create(Schedules.noop(name, "0 * * * *", "")).statusCode(201);
    Schedules.create(Schedules.noop(name, "0 * * * *", ""))
        .statusCode(409)
        .contentType("application/problem+json");
  }

  @Test
  void withoutATokenIs401AndWithoutAdminIs403() {
    given().get("/api/v1/schedules").then().statusCode(401);
    given()
        .header("Authorization", Tokens.analyst("alice"))
        .get("/api/v1/schedules")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given()
        .header("Authorization", Tokens.analyst("alice"))
        .contentType(ContentType.JSON)
        .body(Schedules.noop(Schedules.uniqueName("sneaky"), "0 * * * *", ""))
        .post("/api/v1/schedules")
        .then()
        .statusCode(403);
  }

  @Test
  void anUnknownScheduleIs404() {
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/schedules/no-such-schedule")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    Schedules.post("no-such-schedule/run").statusCode(404);
  }

  @Test
  void aScheduleIsCreatedReadReplacedPausedResumedAndDeleted() {
    String name = Schedules.uniqueName("crud");
    Instant before = Instant.now();
    Schedules.create(
            """
            {"name":"%s","cron":"0 4 * * *","timeZone":"Europe/Berlin","task":"system.noop",
             "params":{"sleep_ms":5},"overlap":"skip_if_running"}
            """
                .formatted(name))
        .statusCode(201)
        .header("Location", endsWith("/api/v1/schedules/" + name))
        .body(
            "enabled", equalTo(true),
            "catchUp", equalTo("fire_once"),
            "overlap", equalTo("skip_if_running"),
            "createdBy", equalTo("root"),
            "nextFireAt", notNullValue());
    String next =
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/schedules/" + name)
            .then()
            .statusCode(200)
            .body("timeZone", equalTo("Europe/Berlin"), "params.sleep_ms", equalTo(5))
            .extract()
            .path("nextFireAt");
    assertThat(Instant.parse(next)).isAfter(before);
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/schedules")
        .then()
        .statusCode(200)
        .body("name", hasItem(name));

    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(Schedules.noop(name, "15 * * * *", ",\"catchUp\":\"skip\""))
        .put("/api/v1/schedules/" + name)
        .then()
        .statusCode(200)
        .body(
            "cron", equalTo("15 * * * *"), "catchUp", equalTo("skip"), "overlap", equalTo("allow"));

    Schedules.post(name + "/pause").statusCode(200).body("enabled", equalTo(false));
    Schedules.post(name + "/resume").statusCode(200).body("enabled", equalTo(true));

    given()
        .header("Authorization", Tokens.admin())
        .delete("/api/v1/schedules/" + name)
        .then()
        .statusCode(204);
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/schedules/" + name)
        .then()
        .statusCode(404);
  }

  @Test
  void runNowEnqueuesOneJobWithAKeyNoSlotUses() {
    String name = Schedules.uniqueName("run-now");
    Schedules.create(Schedules.noop(name, "0 0 1 1 *", ",\"enabled\":false")).statusCode(201);
    String id =
        Schedules.post(name + "/run")
            .statusCode(202)
            .body("task", equalTo("system.noop"))
            .extract()
            .path("id");
    var fired = Schedules.fired(pool, name);
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).id().toString()).isEqualTo(id);
    assertThat(fired.get(0).key()).startsWith("schedule:" + name + ":run:");
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("owner", equalTo("schedule:" + name), "lineage.schedule", equalTo(name));
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .statusCode(200)
        .body("[0].type", equalTo("queued"), "[0].data.schedule", equalTo(name));
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/schedules/" + name)
        .then()
        .body("lastJobId", equalTo(id));
  }

  @Test
  void aReplaceCannotRenameAndAReplaceOfAnUnknownScheduleIs404() {
    String name = Schedules.uniqueName("rename");
    Schedules.create(Schedules.noop(name, "0 * * * *", ",\"enabled\":false")).statusCode(201);
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(Schedules.noop("other-name", "0 * * * *", ""))
        .put("/api/v1/schedules/" + name)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/name"));
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(Schedules.noop("no-such-schedule", "0 * * * *", ""))
        .put("/api/v1/schedules/no-such-schedule")
        .then()
        .statusCode(404);
  }

  @Test
  void aConfiguredDefaultWhoseTaskExistsIsCreatedPausedAndOneWhoseTaskIsMissingIsNot() {
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/schedules/test-default-noop")
        .then()
        .statusCode(200)
        .body("enabled", equalTo(false), "createdBy", equalTo("defaults"));
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/schedules/test-default-missing-task")
        .then()
        .statusCode(404);
  }
}
