package org.kfm.tasks.worker.telemetry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.CapturedLogs;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * What an attempt leaves behind for operators: its spans continue the trace the command brought,
 * its log lines carry the job's context, and a secret it was given or an upstream echoed shows up
 * in none of its logs, events or dead letters.
 */
@QuarkusTest
class JobTelemetryTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "kfm.tasks.io-heavy";
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT_SPAN_ID = "b7ad6b7169203331";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "kfm.ingest.noaa.base-url")
  URI upstreamUrl;

  @Inject InMemorySpanExporter spans;

  private KafkaTestClient kafka;
  private WireMock upstream;
  private CapturedLogs logs;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
    upstream = new WireMock(upstreamUrl.getHost(), upstreamUrl.getPort());
    logs = CapturedLogs.install();
  }

  @AfterEach
  void disconnect() {
    logs.close();
    kafka.close();
  }

  @Test
  void theRunSpanContinuesTheCommandsTraceAndEachReportedStepIsItsChild() {
    int gridX = freeGridX();
    upstream.register(get(urlEqualTo(forecastPath(gridX))).willReturn(aResponse().withStatus(404)));
    TaskCommand command = forecastCommand(gridX, "{}");

    send(command);
    JobEvent outcome = outcomeOf(command);

    assertThat(outcome.type().wireName()).isEqualTo("failed");
    SpanData run =
        await()
            .atMost(WAIT)
            .until(() -> spanNamed("run ingest.noaa_forecast", command), Optional::isPresent)
            .orElseThrow();
    assertThat(run.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(run.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
    assertThat(run.getAttributes().asMap().toString())
        .contains(command.jobId().toString())
        .contains("UPSTREAM_REJECTED");
    List<SpanData> steps =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getParentSpanId().equals(run.getSpanId()))
            .filter(s -> s.getName().startsWith("step "))
            .toList();
    assertThat(steps).extracting(SpanData::getName).contains("step marker", "step fetch");
    assertThat(steps).allMatch(s -> s.getTraceId().equals(TRACE_ID));
    // The outcome record carries the trace on to the api's projection.
    assertThat(traceIdOf(lastRecordOf(command))).isEqualTo(TRACE_ID);
  }

  @Test
  void theRunnersLinesCarryTheJobsContextAndSayStartStepsAndFinish() {
    int gridX = freeGridX();
    upstream.register(get(urlEqualTo(forecastPath(gridX))).willReturn(aResponse().withStatus(404)));
    TaskCommand command = forecastCommand(gridX, "{}");

    send(command);
    outcomeOf(command);

    List<CapturedLogs.Line> lines =
        logs.lines().stream().filter(l -> l.message().contains("job=" + command.jobId())).toList();
    assertThat(lines)
        .extracting(CapturedLogs.Line::message)
        .anyMatch(m -> m.endsWith(" started"))
        .anyMatch(m -> m.contains("step=fetch"))
        .anyMatch(m -> m.contains("failed code=UPSTREAM_REJECTED") && m.contains("errorId="))
        .anyMatch(m -> m.matches(".* finished outcome=failed duration=\\d+ms code=.*errorId=.*"));
    assertThat(lines)
        .allSatisfy(
            line -> {
              assertThat(line.mdc()).containsEntry("jobId", command.jobId().toString());
              assertThat(line.mdc()).containsEntry("task", "ingest.noaa_forecast");
              assertThat(line.mdc()).containsEntry("attempt", "1");
              assertThat(line.mdc()).containsEntry("traceId", TRACE_ID);
            });
  }

  @Test
  void aSecretInParamsOrEchoedByTheUpstreamReachesNoLogEventOrDeadLetter() {
    String secret = "canary-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    int gridX = freeGridX();
    upstream.register(
        get(urlEqualTo(forecastPath(gridX)))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(
                        "proxy error for Authorization: Bearer "
                            + secret
                            + "; retried with token="
                            + secret
                            + " and got "
                            + secret)));
    TaskCommand command = forecastCommand(gridX, "{\"auth_token\":\"%s\"}".formatted(secret));
    TaskCommand unknownTask =
        aCommand()
            .forTask("ingest.no_such_task")
            .withParams("{\"auth_token\":\"%s\"}".formatted(secret))
            .build();

    send(command);
    send(unknownTask);
    JobEvent outcome = outcomeOf(command);
    List<ConsumerRecord<String, String>> parked =
        kafka.await(
            Topics.deadLetterOf(TOPIC),
            r -> unknownTask.jobId().toString().equals(r.key()),
            1,
            WAIT);

    // The secret did travel: to the upstream, and back in its error, which was then masked.
    upstream.verifyThat(
        getRequestedFor(urlEqualTo(forecastPath(gridX)))
            .withHeader("Authorization", equalTo("Bearer " + secret)));
    // The handler's own lines (CarelessHandlerLogs) quoted it bare, as a header and in an
    // exception: those lines are there, masked.
    List<CapturedLogs.Line> handlerLines =
        logs.lines().stream()
            .filter(l -> l.logger().equals(CarelessHandlerLogs.LOGGER))
            .filter(l -> l.message().contains("job=" + command.jobId()))
            .toList();
    assertThat(handlerLines).hasSize(3);
    assertThat(handlerLines)
        .allSatisfy(l -> assertThat(l.message() + l.thrown()).contains("[REDACTED]"));
    List<String> seen = new ArrayList<>();
    logs.lines().forEach(line -> seen.add(line.text()));
    eventsOf(command).forEach(record -> seen.add(everythingIn(record)));
    parked.forEach(record -> seen.add(everythingIn(record)));
    assertThat(seen).isNotEmpty().noneMatch(text -> text.contains(secret));
    assertThat(outcome.error().message()).contains("upstream said").contains("[REDACTED]");
  }

  private static int freeGridX() {
    return ThreadLocalRandom.current().nextInt(200, 500);
  }

  private static String forecastPath(int gridX) {
    return "/gridpoints/TOP/" + gridX + ",17/forecast";
  }

  private static TaskCommand forecastCommand(int gridX, String extraParams) {
    String params =
        Wire.fromJson(extraParams, com.fasterxml.jackson.databind.node.ObjectNode.class)
            .put("office", "TOP")
            .put("grid_x", gridX)
            .put("grid_y", 17)
            .toString();
    return aCommand().forTask("ingest.noaa_forecast").withParams(params).build();
  }

  private void send(TaskCommand command) {
    kafka.send(
        TOPIC,
        command.jobId().toString(),
        Wire.toJson(command),
        "traceparent",
        "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01");
  }

  private JobEvent outcomeOf(TaskCommand command) {
    return Wire.fromJson(lastRecordOf(command).value(), JobEvent.class);
  }

  private ConsumerRecord<String, String> lastRecordOf(TaskCommand command) {
    List<ConsumerRecord<String, String>> events = eventsOf(command);
    return events.get(events.size() - 1);
  }

  /** Every status event of the job, through its outcome. */
  private List<ConsumerRecord<String, String>> eventsOf(TaskCommand command) {
    return kafka.awaitThrough(
        Topics.JOB_EVENTS,
        r -> command.jobId().toString().equals(r.key()),
        r ->
            r.value().contains("\"type\":\"succeeded\"")
                || r.value().contains("\"type\":\"failed\""),
        WAIT);
  }

  private Optional<SpanData> spanNamed(String name, TaskCommand command) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .filter(s -> s.getAttributes().asMap().toString().contains(command.jobId().toString()))
        .findFirst();
  }

  private static String traceIdOf(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader("traceparent");
    assertThat(header).as("traceparent on " + record.value()).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8).split("-")[1];
  }

  private static String everythingIn(ConsumerRecord<String, String> record) {
    StringBuilder text = new StringBuilder(record.key() + " " + record.value());
    record
        .headers()
        .forEach(h -> text.append(' ').append(new String(h.value(), StandardCharsets.UTF_8)));
    return text.toString();
  }
}
