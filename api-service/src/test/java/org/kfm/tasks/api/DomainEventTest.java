package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobIds;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * Jobs born from domain events: published over HTTP or straight to Kafka, routed to the tasks that
 * name the type, once per event however often it arrives; an event that cannot become a job goes to
 * the DLQ without holding up the next one.
 */
@QuarkusTest
class DomainEventTest {
  private static final String TASK = "ingest.imagery_scene";
  private static final String TOPIC = "kfm.events.imagery.arrived";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static String event(String id, String sceneId) {
    return """
        {"specversion":"1.0","id":"%s","source":"urn:kfm:test:archive","type":"imagery.arrived",
         "time":"2026-11-30T10:05:00Z",
         "data":{"scene_id":"%s","sensor":"sentinel-2b","acquired_at":"2026-11-30T10:03:19Z",
                 "footprint":{"type":"Polygon","coordinates":[[[24.5,60.0],[25.4,60.0],[25.4,60.4],[24.5,60.4],[24.5,60.0]]]},
                 "bbox":[24.5,60.0,25.4,60.4]}}
        """
        .formatted(id, sceneId);
  }

  private static Response post(String token, String body) {
    return given()
        .header("Authorization", token)
        .contentType("application/cloudevents+json")
        .body(body)
        .post("/api/v1/events");
  }

  @Inject Pool pool;

  private long jobsOfEvent(String eventId) {
    return pool.preparedQuery(
            "SELECT count(*) FROM jobs WHERE lineage -> 'trigger' ->> 'eventId' = $1 AND task = $2")
        .execute(Tuple.of(eventId, TASK))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getLong(0);
  }

  private static Response job(UUID id) {
    return given().header("Authorization", Tokens.admin()).get("/api/v1/jobs/" + id);
  }

  @Test
  void anEventPostedTwiceMakesOneJobOwnedByItsProducerAndSaysWhereItCameFrom() {
    String eventId = "evt-" + UUID.randomUUID();
    String producer = Tokens.bearer("archive-bot", "producer");
    post(producer, event(eventId, "S2B-" + eventId))
        .then()
        .statusCode(202)
        .body("topic", equalTo(TOPIC));
    post(producer, event(eventId, "S2B-" + eventId)).then().statusCode(202);

    UUID jobId = JobIds.forEvent("urn:kfm:test:archive", eventId, TASK);
    Awaitility.await().atMost(WAIT).until(() -> job(jobId).statusCode() == 200);
    job(jobId)
        .then()
        .body("task", equalTo(TASK))
        .body("owner", equalTo("archive-bot"))
        .body("lineage.trigger.kind", equalTo("event"))
        .body("lineage.trigger.eventId", equalTo(eventId))
        .body("lineage.trigger.eventType", equalTo("imagery.arrived"))
        .body("lineage.trigger.eventSource", equalTo("urn:kfm:test:archive"));
    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + jobId + "/events")
        .then()
        .statusCode(200)
        .body("[0].data.trigger.eventId", equalTo(eventId));
    assertThat(jobsOfEvent(eventId)).isEqualTo(1);
    // The same event also warms the tiles over the scene: one job of each triggered task.
    UUID warm = JobIds.forEvent("urn:kfm:test:archive", eventId, "geo.tile_cache_warm");
    Awaitility.await().atMost(WAIT).until(() -> job(warm).statusCode() == 200);
    job(warm)
        .then()
        .body("task", equalTo("geo.tile_cache_warm"))
        .body("owner", equalTo("archive-bot"));
    String params =
        pool.preparedQuery("SELECT params::text FROM jobs WHERE id = $1")
            .execute(Tuple.of(warm))
            .await()
            .atMost(Duration.ofSeconds(10))
            .iterator()
            .next()
            .getString(0);
    assertThat(params)
        .contains("\"west\": 24.5")
        .contains("\"north\": 60.4")
        .contains("\"min_zoom\": 6");
  }

  @Test
  void publishingNeedsTheProducerRoleAndAValidEvent() {
    given()
        .contentType(ContentType.JSON)
        .body(event("e-1", "s-1"))
        .post("/api/v1/events")
        .then()
        .statusCode(401);
    post(Tokens.analyst("erin"), event("e-1", "s-1")).then().statusCode(403);
    post(
            Tokens.bearer("archive-bot", "producer"),
            """
            {"specversion":"0.3","source":"urn:x","type":"imagery.arrived",
             "data":{"scene_id":"a b","sensor":"s","acquired_at":"yesterday","footprint":{},"bbox":[1,2]}}
            """)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("/specversion"))
        .body("errors.field", hasItem("/id"))
        .body("errors.field", hasItem("/data/scene_id"))
        .body("errors.field", hasItem("/data/acquired_at"))
        .body("errors.field", hasItem("/data/bbox"));
    post(
            Tokens.bearer("archive-bot", "producer"),
            """
            {"specversion":"1.0","id":"x","source":"urn:x","type":"nobody.sends_this","data":{}}
            """)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/type"));
  }

  @Test
  void aBadEventIsParkedAndTheNextOnTheSamePartitionStillMakesItsJobAndAReplayMakesNone() {
    String eventId = "evt-" + UUID.randomUUID();
    String key = "same-partition";
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      kafka.send(TOPIC, key, "{this is not a cloud event");
      kafka.send(TOPIC, key, event("bad-" + eventId, "scene with spaces"));
      kafka.send(TOPIC, key, event(eventId, "S2B-" + eventId));

      var parked = kafka.await("kfm.dlq." + TOPIC, r -> key.equals(r.key()), 2, WAIT);
      assertThat(parked)
          .allSatisfy(r -> assertThat(r.headers().lastHeader("dead-letter-reason")).isNotNull());
      assertThat(new String(parked.get(1).headers().lastHeader("dead-letter-reason").value()))
          .contains("/data/scene_id");

      UUID jobId = JobIds.forEvent("urn:kfm:test:archive", eventId, TASK);
      Awaitility.await().atMost(WAIT).until(() -> job(jobId).statusCode() == 200);
      // Straight from Kafka, the event's source is its producer.
      job(jobId).then().body("owner", equalTo("urn:kfm:test:archive"));

      kafka.send(TOPIC, key, event(eventId, "S2B-" + eventId));
      String marker = "evt-" + UUID.randomUUID();
      kafka.send(TOPIC, key, event(marker, "S2B-" + marker));
      UUID markerJob = JobIds.forEvent("urn:kfm:test:archive", marker, TASK);
      // Once the event after the replay made its job, the replay has been routed too.
      Awaitility.await().atMost(WAIT).until(() -> job(markerJob).statusCode() == 200);
      assertThat(jobsOfEvent(eventId)).isEqualTo(1);
    }
  }
}
