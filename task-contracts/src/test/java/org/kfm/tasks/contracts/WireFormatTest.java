package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Golden files pin the wire format: a change here is a change every deployed reader sees. */
class WireFormatTest {
  private static final UUID JOB = UUID.fromString("0b6f9a52-8d7e-4f3c-9a51-2f0e7c1d4b11");
  private static final UUID EVENT = UUID.fromString("5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");
  private static final Instant AT = Instant.parse("2026-11-28T10:15:30Z");

  private static String golden(String name) throws IOException {
    try (InputStream in = WireFormatTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode tree(String json) {
    return Wire.fromJson(json, JsonNode.class);
  }

  @Test
  void taskCommandMatchesItsGoldenFile() throws IOException {
    var command =
        new TaskCommand(
            1,
            JOB,
            "analysis.run_simulation",
            1,
            2,
            3,
            tree("{\"runs\":1000}"),
            "alice",
            "key-1",
            AT.plusSeconds(86_400),
            AT,
            tree("{\"jobId\":\"" + JOB + "\",\"pipeline_run_id\":\"run-7\"}"));

    assertThat(tree(Wire.toJson(command))).isEqualTo(tree(golden("task-command.json")));
    assertThat(Wire.fromJson(golden("task-command.json"), TaskCommand.class)).isEqualTo(command);
  }

  @Test
  void succeededEventMatchesItsGoldenFile() throws IOException {
    var event =
        new JobEvent(
            1,
            EVENT,
            JOB,
            2,
            JobEventType.SUCCEEDED,
            AT,
            "worker-1",
            new JobEvent.Progress(1.0, "done"),
            tree("{\"mean\":12.5}"),
            null,
            AT.minusMillis(40),
            List.of(
                new ArtifactRef(
                    "report.pdf",
                    "application/pdf",
                    1234,
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "jobs/" + JOB + "/report.pdf")));

    assertThat(tree(Wire.toJson(event))).isEqualTo(tree(golden("job-event-succeeded.json")));
    assertThat(Wire.fromJson(golden("job-event-succeeded.json"), JobEvent.class)).isEqualTo(event);
  }

  @Test
  void failedEventMatchesItsGoldenFile() throws IOException {
    var event =
        new JobEvent(
            1,
            EVENT,
            JOB,
            1,
            JobEventType.FAILED,
            AT,
            "worker-1",
            null,
            null,
            new JobEvent.JobError("TIMEOUT", "ran longer than 60s", true, "e-123"),
            null,
            List.of());

    assertThat(tree(Wire.toJson(event))).isEqualTo(tree(golden("job-event-failed.json")));
    assertThat(Wire.fromJson(golden("job-event-failed.json"), JobEvent.class)).isEqualTo(event);
  }

  @Test
  void aFailureWithRetryNotBeforeAddsOneFieldOlderReadersIgnore() throws IOException {
    var event =
        new JobEvent(
            1,
            EVENT,
            JOB,
            1,
            JobEventType.FAILED,
            AT,
            "worker-1",
            null,
            null,
            new JobEvent.JobError(
                "UPSTREAM_THROTTLED", "HTTP 429", true, "e-124", AT.plusSeconds(120)),
            null,
            List.of());

    String json = Wire.toJson(event);
    assertThat(tree(json)).isEqualTo(tree(golden("job-event-failed-retry-not-before.json")));
    assertThat(Wire.fromJson(json, JobEvent.class)).isEqualTo(event);
    // A reader built before the field existed: the same record without it.
    record OlderJobError(String code, String message, boolean retryable, String errorId) {}
    OlderJobError older = Wire.mapper().convertValue(tree(json).get("error"), OlderJobError.class);
    assertThat(older.code()).isEqualTo("UPSTREAM_THROTTLED");
    assertThat(older.retryable()).isTrue();
  }

  @Test
  void readersIgnoreFieldsTheyDoNotKnow() {
    String newer =
        "{\"schemaVersion\":2,\"eventId\":\""
            + EVENT
            + "\",\"jobId\":\""
            + JOB
            + "\",\"attempt\":1,\"type\":\"started\",\"at\":\"2026-11-28T10:15:30Z\",\"shard\":7}";

    JobEvent event = Wire.fromJson(newer, JobEvent.class).requireValid();

    assertThat(event.type()).isEqualTo(JobEventType.STARTED);
    assertThat(event.schemaVersion()).isEqualTo(2);
  }

  @Test
  void aRecordThatIsNotTheContractIsMalformed() {
    assertThatThrownBy(() -> Wire.fromJson("not json", TaskCommand.class))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> Wire.fromJson("{\"task\":\"x\"}", TaskCommand.class).requireValid())
        .isInstanceOf(MalformedRecordException.class);
  }
}
