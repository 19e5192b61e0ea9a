package org.kfm.tasks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both services as separate processes: a job travels REST → Kafka → worker → Kafka → REST. Both
 * export every trace to a test collector, so one job's trace can be followed across them.
 */
@Timeout(300)
class JobLifecycleE2ETest {
  private static OtlpReceiver collector;
  private static Cluster cluster;
  private static Api analyst;
  private static Api admin;

  @BeforeAll
  static void startCluster() {
    collector = OtlpReceiver.start();
    Map<String, String> tracing =
        Map.of(
            "KFM_OTEL_SAMPLE_RATIO", "1",
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
            "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
    cluster = Cluster.start(false, tracing, tracing);
    analyst = new Api(cluster.api.baseUrl(), cluster.keys.token("ana", "analyst"));
    admin = new Api(cluster.api.baseUrl(), cluster.keys.token("root", "admin"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  private static JsonNode awaitTerminal(Api api, String id, Duration within) {
    List<JsonNode> last = new ArrayList<>(1);
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode job = api.get("/api/v1/jobs/" + id).body();
              last.clear();
              last.add(job);
              String status = job.path("status").asText();
              return status.equals("succeeded")
                  || status.equals("failed")
                  || status.equals("canceled")
                  || status.equals("expired");
            });
    return last.get(0);
  }

  @Test
  void aSimulationSubmittedWithASignedTokenSucceedsWithItsStatistics() {
    String body =
        """
        {"task":"analysis.run_simulation","params":{"scenario_id":"e2e-flood","runs":500000,
         "horizon_years":1,"annual_event_rate":2.0,"severity":{"mu":1.0,"sigma":0.5},"bins":20}}
        """;
    Instant submitted = Instant.now();
    Api.Reply reply = analyst.submit(body, null);
    assertThat(reply.status()).isEqualTo(202);
    String id = reply.body().path("id").asText();

    JsonNode job = awaitTerminal(analyst, id, Duration.ofSeconds(120));

    assertThat(job.path("status").asText()).isEqualTo("succeeded");
    JsonNode result = job.path("result");
    // E[S] = lambda * exp(mu + sigma^2 / 2) = 2 * e^1.125 = 6.16
    assertThat(result.path("mean").asDouble()).isBetween(6.10, 6.22);
    assertThat(result.path("p5").asDouble()).isLessThan(result.path("p50").asDouble());
    assertThat(result.path("p95").asDouble()).isGreaterThan(result.path("p50").asDouble());
    assertThat(result.path("histogram").path("bins")).hasSize(20);
    assertThat(job.path("progress").path("fraction").asDouble()).isEqualTo(1.0);
    assertThat(job.path("startedAt").isNull()).isFalse();
    System.out.printf(
        "simulation e2e-flood (500000 runs): mean=%.4f std=%.4f p5=%.4f p50=%.4f p95=%.4f p99=%.4f P(loss)=%.4f in %d ms%n",
        result.path("mean").asDouble(),
        result.path("stdDev").asDouble(),
        result.path("p5").asDouble(),
        result.path("p50").asDouble(),
        result.path("p95").asDouble(),
        result.path("p99").asDouble(),
        result.path("probabilityOfLoss").asDouble(),
        Duration.between(submitted, Instant.now()).toMillis());

    List<String> history = new ArrayList<>();
    analyst
        .get("/api/v1/jobs/" + id + "/events")
        .body()
        .forEach(e -> history.add(e.path("type").asText()));
    assertThat(history).containsExactly("queued", "started", "succeeded");
  }

  @Test
  void oneTraceRunsFromTheSubmitRequestThroughTheWorkersStepsToTheProjection() {
    Api.Reply reply =
        analyst.submit(
            """
            {"task":"exports.dataset",
             "params":{"dataset":"forecast_periods","format":"csv","allow_empty":true}}
            """,
            null);
    assertThat(reply.status()).isEqualTo(202);
    String id = reply.body().path("id").asText();
    JsonNode job = awaitTerminal(analyst, id, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
    String traceId = job.path("traceId").asText();
    assertThat(traceId).matches("[0-9a-f]{32}");

    // The last link: the api's span for projecting the worker's outcome event.
    OtlpReceiver.Span projected =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> collector.span(traceId, "project succeeded"), Optional::isPresent)
            .orElseThrow();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> collector.span(traceId, "step write").isPresent());
    List<OtlpReceiver.Span> trace = collector.trace(traceId);
    OtlpReceiver.Span request = only(trace, s -> s.parentSpanId().isEmpty());
    assertThat(request.service()).isEqualTo("kfm-api");
    assertThat(request.name()).startsWith("POST");
    OtlpReceiver.Span command = only(trace, s -> s.name().equals("kfm.tasks.io-heavy publish"));
    assertThat(command.service()).isEqualTo("kfm-api");
    assertThat(command.parentSpanId()).isEqualTo(request.spanId());
    OtlpReceiver.Span run = only(trace, s -> s.name().equals("run exports.dataset"));
    assertThat(run.service()).isEqualTo("kfm-worker");
    assertThat(run.parentSpanId()).isEqualTo(command.spanId());
    for (String step : List.of("step count", "step write")) {
      OtlpReceiver.Span span = only(trace, s -> s.name().equals(step));
      assertThat(span.service()).isEqualTo("kfm-worker");
      assertThat(span.parentSpanId()).as(step).isEqualTo(run.spanId());
    }
    OtlpReceiver.Span outcome = only(trace, s -> s.spanId().equals(projected.parentSpanId()));
    assertThat(outcome.service()).isEqualTo("kfm-worker");
    assertThat(outcome.name()).isEqualTo("kfm.job-events publish");
    assertThat(outcome.parentSpanId()).isEqualTo(run.spanId());
    assertThat(projected.service()).isEqualTo("kfm-api");
  }

  private static OtlpReceiver.Span only(
      List<OtlpReceiver.Span> trace, java.util.function.Predicate<OtlpReceiver.Span> which) {
    List<OtlpReceiver.Span> found = trace.stream().filter(which).toList();
    assertThat(found).as("in " + trace).hasSize(1);
    return found.get(0);
  }

  @Test
  void aTaskFailingItsFirstAttemptIsRetriedAfterItsBackoffAndSucceeds() {
    Api.Reply reply =
        admin.submit("{\"task\":\"system.noop\",\"params\":{\"fail_first_attempts\":1}}", null);
    assertThat(reply.status()).isEqualTo(202);
    String id = reply.body().path("id").asText();

    JsonNode job = awaitTerminal(admin, id, Duration.ofSeconds(60));

    assertThat(job.path("status").asText()).isEqualTo("succeeded");
    assertThat(job.path("attempt").asInt()).isEqualTo(2);
    assertThat(job.path("result").path("attempt").asInt()).isEqualTo(2);
    JsonNode events = admin.get("/api/v1/jobs/" + id + "/events").body();
    List<String> history = new ArrayList<>();
    events.forEach(e -> history.add(e.path("type").asText() + "#" + e.path("attempt").asInt()));
    assertThat(history)
        .containsExactly(
            "queued#1",
            "started#1",
            "failed#1",
            "scheduled#2",
            "queued#2",
            "started#2",
            "succeeded#2");
    // system.noop waits 1 s (no jitter) before attempt 2.
    Instant failedAt = Instant.parse(events.get(2).path("at").asText());
    Instant retriedAt = Instant.parse(events.get(5).path("at").asText());
    assertThat(Duration.between(failedAt, retriedAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void anImageryEventPostedByAProducerBecomesARecordedSceneThroughBothServices() {
    Api producer = new Api(cluster.api.baseUrl(), cluster.keys.token("archive", "producer"));
    String eventId = "scene-" + java.util.UUID.randomUUID();
    String event =
        """
        {"specversion":"1.0","id":"%s","source":"urn:kfm:e2e:archive","type":"imagery.arrived",
         "data":{"scene_id":"%s","sensor":"sentinel-2b","acquired_at":"2026-11-30T10:03:19Z",
                 "cloud_cover":12.5,
                 "footprint":{"type":"Polygon","coordinates":[[[24.5,60.0],[25.4,60.0],[25.4,60.4],[24.5,60.4],[24.5,60.0]]]},
                 "bbox":[24.5,60.0,25.4,60.4]}}
        """
            .formatted(eventId, eventId);
    assertThat(producer.post("/api/v1/events", "application/cloudevents+json", event).status())
        .isEqualTo(202);
    // Delivered twice: the producer retried after a timeout it could not tell from a failure.
    assertThat(producer.post("/api/v1/events", "application/cloudevents+json", event).status())
        .isEqualTo(202);

    String jobId =
        org.kfm.tasks.contracts.JobIds.forEvent(
                "urn:kfm:e2e:archive", eventId, "ingest.imagery_scene")
            .toString();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin.get("/api/v1/jobs/" + jobId).status() == 200);
    JsonNode job = awaitTerminal(admin, jobId, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.path("owner").asText()).isEqualTo("archive");
    assertThat(job.path("result").path("sceneId").asText()).isEqualTo(eventId);
    assertThat(job.path("lineage").path("trigger").path("eventId").asText()).isEqualTo(eventId);

    // The same event warms the map tiles over the scene's footprint (zooms 6 to 10).
    String warmId =
        org.kfm.tasks.contracts.JobIds.forEvent(
                "urn:kfm:e2e:archive", eventId, "geo.tile_cache_warm")
            .toString();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin.get("/api/v1/jobs/" + warmId).status() == 200);
    JsonNode warm = awaitTerminal(admin, warmId, Duration.ofSeconds(120));
    assertThat(warm.path("status").asText()).as(warm.toString()).isEqualTo("succeeded");
    // Helsinki (24.94, 60.17) lies in tile 10/582/296, inside the footprint.
    assertThat(admin.get("/api/v1/tiles/simulation_sites/10/582/296.png").status()).isEqualTo(200);
  }

  @Test
  void theSameIdempotencyKeyTwiceYieldsOneJob() {
    String key = "e2e-" + UUID.randomUUID();
    String body =
        """
        {"task":"analysis.run_simulation","params":{"scenario_id":"idem","runs":1000,
         "annual_event_rate":1,"severity":{"mu":0,"sigma":1}}}
        """;
    Api.Reply first = analyst.submit(body, key);
    Api.Reply second = analyst.submit(body, key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    String id = first.body().path("id").asText();
    assertThat(second.body().path("id").asText()).isEqualTo(id);
    assertThat(awaitTerminal(analyst, id, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("succeeded");

    JsonNode mine =
        analyst.get("/api/v1/jobs?task=analysis.run_simulation&limit=500").body().path("items");
    long withThatScenario = 0;
    for (JsonNode job : mine) {
      if (job.path("id").asText().equals(id)) {
        withThatScenario++;
      }
    }
    assertThat(withThatScenario).isEqualTo(1);
  }
}
