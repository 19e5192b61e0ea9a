package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Schedules the API tests create, and what they fired. */
final class Schedules {
  private Schedules() {}

  /** A name no other test uses. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static ValidatableResponse create(String body) {
    return given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/schedules")
        .then();
  }

  static ValidatableResponse post(String path) {
    return given().header("Authorization", Tokens.admin()).post("/api/v1/schedules/" + path).then();
  }

  /** A schedule of {@code system.noop}. */
  static String noop(String name, String cron, String extra) {
    return """
        {"name":"%s","cron":"%s","timeZone":"UTC","task":"system.noop","params":{}%s}
        """
        .formatted(name, cron, extra);
  }

  /** The jobs a schedule fired, oldest first. */
  record Fired(UUID id, String key, String slot, String status) {}

  static List<Fired> fired(Pool pool, String schedule) {
    List<Fired> jobs = new ArrayList<>();
    for (Row r :
        pool.preparedQuery(
                "SELECT id, idempotency_key, lineage->>'slot' AS slot, status FROM jobs"
                    + " WHERE owner = $1 ORDER BY created_at")
            .execute(Tuple.of("schedule:" + schedule))
            .await()
            .atMost(Duration.ofSeconds(10))) {
      jobs.add(
          new Fired(
              r.getUUID("id"),
              r.getString("idempotency_key"),
              r.getString("slot"),
              r.getString("status")));
    }
    return jobs;
  }

  static double misses(MeterRegistry meters, String schedule, String reason) {
    Counter c =
        meters.find("kfm.schedule.misses").tags("schedule", schedule, "reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  static double firings(MeterRegistry meters, String schedule) {
    Counter c = meters.find("kfm.schedule.firings").tags("schedule", schedule).counter();
    return c == null ? 0 : c.count();
  }
}
