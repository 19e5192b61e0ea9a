package org.kfm.tasks.api.telemetry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.Tokens;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.CapturedLogs;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * The api's side of a job's trace and of its secrets: the job records the trace of its request,
 * every command continues it (also those the dispatcher publishes later), each projected status
 * event gets a span in it; a redacted param is shown to its owner only and reaches no log line,
 * history entry or dead letter.
 */
@QuarkusTest
class ApiTelemetryTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FORECAST_TOPIC = "kfm.tasks.io-heavy";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject InMemorySpanExporter spans;

  private KafkaTestClient kafka;
  private CapturedLogs logs;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
    logs = CapturedLogs.install();
  }

  @AfterEach
  void disconnect() {
    logs.close();
    kafka.close();
  }

  @Test
  void theSubmitRequestsTraceIsTheJobsAndItsCommandsAndProjectionsContinueIt() {
    String user = "tracer-" + UUID.randomUUID();
    String id = submitForecast(user, "{\"office\":\"TOP\",\"grid_x\":1,\"grid_y\":2}", null);
    String traceId = traceIdOfJob(id, Tokens.analyst(user));

    ConsumerRecord<String, String> command =
        kafka.await(FORECAST_TOPIC, r -> id.equals(r.key()), 1, WAIT).get(0);
    assertThat(traceparentOf(command).split("-")[1]).isEqualTo(traceId);
    SpanData submit = await().atMost(WAIT).until(() -> serverSpanOf(traceId), s -> s != null);
    assertThat(submit.getName()).contains("POST");

    // As a worker would send it: in the job's trace, under its run span.
    String runSpanId = "00f067aa0ba902b7";
    kafka.send(
        Topics.JOB_EVENTS,
        id,
        Wire.toJson(JobEvent.started(UUID.fromString(id), 1, "w-trace", Instant.now())),
        "traceparent",
        "00-" + traceId + "-" + runSpanId + "-01");

    SpanData projected =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("project started"))
                        .filter(s -> s.getTraceId().equals(traceId))
                        .findFirst()
                        .orElse(null),
                s -> s != null);
    assertThat(projected.getParentSpanId()).isEqualTo(runSpanId);
    assertThat(projected.getAttributes().asMap().toString()).contains(id);
  }

  @Test
  void aCommandTheDispatcherPublishesLaterStillContinuesTheJobsTrace() {
    String user = "delayed-" + UUID.randomUUID();
    String runAt = Instant.now().plusSeconds(2).toString();
    String id = submitForecast(user, "{\"office\":\"TOP\",\"grid_x\":3,\"grid_y\":4}", runAt);
    String traceId = traceIdOfJob(id, Tokens.analyst(user));

    ConsumerRecord<String, String> command =
        kafka.await(FORECAST_TOPIC, r -> id.equals(r.key()), 1, WAIT).get(0);

    assertThat(traceparentOf(command).split("-")[1]).isEqualTo(traceId);
  }

  @Test
  void aJobAScheduleFiresIsInTheFiringsTraceAndItsCommandContinuesIt() {
    String name = "traced-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .header("Authorization", Tokens.admin())
        .contentType(ContentType.JSON)
        .body(
            """
            {"name":"%s","cron":"* * * * * ?","timeZone":"UTC","task":"system.noop","params":{}}
            """
                .formatted(name))
        .post("/api/v1/schedules")
        .then()
        .statusCode(201);
    String id;
    try {
      id = await().atMost(WAIT).until(() -> firstJobOf("schedule:" + name), j -> j != null);
    } finally {
      given().header("Authorization", Tokens.admin()).post("/api/v1/schedules/" + name + "/pause");
    }
    String traceId = traceIdOfJob(id, Tokens.admin());

    String traceparent =
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/jobs/" + id)
            .then()
            .extract()
            .path("lineage.traceparent");
    SpanData firing =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("schedule " + name))
                        .filter(s -> s.getTraceId().equals(traceId))
                        .findFirst()
                        .orElse(null),
                s -> s != null);
    // The firing is the trace's root, and the job's lineage names it as its parent.
    assertThat(firing.getParentSpanContext().isValid()).isFalse();
    assertThat(firing.getAttributes().asMap().toString()).contains(id).contains("system.noop");
    assertThat(traceparent).isEqualTo("00-" + traceId + "-" + firing.getSpanId() + "-01");
    ConsumerRecord<String, String> command =
        kafka.await("kfm.tasks.latency-sensitive", r -> id.equals(r.key()), 1, WAIT).get(0);
    assertThat(traceparentOf(command).split("-")[1]).isEqualTo(traceId);
  }

  @Test
  void aRedactedParamIsShownToItsOwnerOnlyAndReachesNoLogHistoryOrDeadLetter() {
    String secret = "canary-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    String user = "owner-" + UUID.randomUUID();
    String id =
        submitForecast(
            user,
            "{\"office\":\"TOP\",\"grid_x\":5,\"grid_y\":6,\"auth_token\":\"%s\"}"
                .formatted(secret),
            null);
    UUID jobId = UUID.fromString(id);
    // A worker's report (already redacted there) and a broken record quoting the secret.
    kafka.send(
        Topics.JOB_EVENTS,
        id,
        Wire.toJson(
            JobEvent.failed(
                jobId,
                1,
                "w-canary",
                Instant.now(),
                new JobEvent.JobError("UPSTREAM_UNAVAILABLE", "HTTP 500", true, "e-canary"))));
    kafka.send(Topics.JOB_EVENTS, id, "{\"jobId\":\"" + id + "\", not json, token=" + secret);

    List<String> answers = new ArrayList<>();
    given()
        .header("Authorization", Tokens.analyst(user))
        .get("/api/v1/jobs/" + id)
        .then()
        .statusCode(200)
        .body("params.auth_token", equalTo(secret));
    String adminView =
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/jobs/" + id)
            .then()
            .statusCode(200)
            .body("params.office", equalTo("TOP"))
            .extract()
            .asString();
    answers.add(adminView);
    answers.add(
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/jobs?owner=" + user)
            .then()
            .statusCode(200)
            .body("items[0]", not(hasKey("params")))
            .extract()
            .asString());
    await()
        .atMost(WAIT)
        .until(
            () ->
                given()
                    .header("Authorization", Tokens.admin())
                    .get("/api/v1/jobs/" + id + "/events")
                    .asString(),
            history -> history.contains("e-canary"));
    answers.add(
        given()
            .header("Authorization", Tokens.admin())
            .get("/api/v1/jobs/" + id + "/events")
            .asString());
    List<ConsumerRecord<String, String>> parked =
        kafka.await(Topics.deadLetterOf(Topics.JOB_EVENTS), r -> id.equals(r.key()), 1, WAIT);

    List<String> seen = new ArrayList<>(answers);
    logs.lines().forEach(line -> seen.add(line.text()));
    parked.forEach(
        record -> {
          seen.add(record.value());
          record.headers().forEach(h -> seen.add(new String(h.value(), StandardCharsets.UTF_8)));
        });
    assertThat(seen).noneMatch(text -> text.contains(secret));
    assertThat(parked.get(0).value()).contains("[REDACTED]");
    assertThat(
            Wire.fromJson(adminView, com.fasterxml.jackson.databind.JsonNode.class)
                .at("/params/auth_token")
                .asText())
        .isEqualTo("[REDACTED]");
  }

  private static String submitForecast(String user, String params, String runAt) {
    String body =
        "{\"task\":\"ingest.noaa_forecast\",\"params\":"
            + params
            + (runAt == null ? "" : ",\"runAt\":\"" + runAt + "\"")
            + "}";
    return given()
        .header("Authorization", Tokens.analyst(user))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  /** The id of the first job listed for an owner, or null while there is none. */
  private static String firstJobOf(String owner) {
    List<String> ids =
        given()
            .header("Authorization", Tokens.admin())
            .queryParam("owner", owner)
            .get("/api/v1/jobs")
            .then()
            .statusCode(200)
            .extract()
            .path("items.id");
    return ids == null || ids.isEmpty() ? null : ids.get(0);
  }

  private static String traceIdOfJob(String id, String authorization) {
    String traceId =
        given().header("Authorization", authorization).get("/api/v1/jobs/" + id).path("traceId");
    assertThat(traceId).matches("[0-9a-f]{32}");
    return traceId;
  }

  private SpanData serverSpanOf(String traceId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .filter(s -> s.getParentSpanId().equals("0000000000000000"))
        .findFirst()
        .orElse(null);
  }

  private static String traceparentOf(ConsumerRecord<String, String> record) {
    var header = record.headers().lastHeader("traceparent");
    assertThat(header).as("traceparent on the command").isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
