package org.kfm.tasks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/** The worker half of the loop, against a real broker: commands in, status events out. */
@QuarkusTest
class CommandConsumptionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private UUID send(String task, String topic, String params, int attempt) {
    TaskCommand command = aCommand().forTask(task).withParams(params).attempt(attempt).build();
    kafka.send(topic, command.jobId().toString(), Wire.toJson(command));
    return command.jobId();
  }

  @Test
  void aSimulationRunsAndReportsStartProgressAndItsStatistics() {
    UUID jobId =
        send(
            "analysis.run_simulation",
            "kfm.tasks.cpu-heavy",
            "{\"scenario_id\":\"w1\",\"runs\":200000,\"annual_event_rate\":3,\"severity\":{\"mu\":0,\"sigma\":1},\"bins\":10}",
            1);

    var all =
        kafka.await(
            Topics.JOB_EVENTS,
            r -> r.key().equals(jobId.toString()) && r.value().contains("\"type\":\"succeeded\""),
            1,
            WAIT);
    JobEvent succeeded = Wire.fromJson(all.get(0).value(), JobEvent.class);
    var events =
        kafka
            .await(
                Topics.JOB_EVENTS, r -> r.key().equals(jobId.toString()), 2, Duration.ofSeconds(5))
            .stream()
            .map(r -> Wire.fromJson(r.value(), JobEvent.class).type())
            .toList();

    // A run shorter than the start-report delay folds its start into the outcome.
    assertThat(events.get(0)).isIn(JobEventType.STARTED, JobEventType.SUCCEEDED);
    assertThat(succeeded.startedAt()).isNotNull().isBeforeOrEqualTo(succeeded.at());
    assertThat(succeeded.attempt()).isEqualTo(1);
    assertThat(succeeded.workerId()).isNotBlank();
    JsonNode result = succeeded.result();
    // lambda * E[X] = 3 * e^(1/2)
    assertThat(result.path("mean").asDouble()).isBetween(4.8, 5.1);
    assertThat(result.path("p5").asDouble()).isLessThan(result.path("p50").asDouble());
    assertThat(result.path("p50").asDouble()).isLessThan(result.path("p95").asDouble());
    assertThat(result.path("histogram").path("bins")).hasSize(10);
    assertThat(result.path("runs").asInt()).isEqualTo(200000);
  }

  /** The first record of the job's partition, so nothing of that job can come before it. */
  private JobEvent firstEvent(UUID jobId) {
    var first =
        kafka.await(Topics.JOB_EVENTS, r -> r.key().equals(jobId.toString()), 1, WAIT).get(0);
    return Wire.fromJson(first.value(), JobEvent.class);
  }

  private JobEvent awaitEvent(UUID jobId, JobEventType type) {
    var record =
        kafka
            .await(
                Topics.JOB_EVENTS,
                r ->
                    r.key().equals(jobId.toString())
                        && r.value().contains("\"type\":\"" + type.wireName() + "\""),
                1,
                WAIT)
            .get(0);
    return Wire.fromJson(record.value(), JobEvent.class);
  }

  @Test
  void aShortAttemptReportsItsStartInItsOutcomeAlone() {
    UUID jobId = send("system.noop", "kfm.tasks.latency-sensitive", "{}", 1);
    JobEvent succeeded = awaitEvent(jobId, JobEventType.SUCCEEDED);

    assertThat(firstEvent(jobId)).isEqualTo(succeeded);
    assertThat(succeeded.startedAt()).isNotNull().isBeforeOrEqualTo(succeeded.at());
  }

  @Test
  void anAttemptThatOutlivesTheStartDelayReportsItsStartFirst() {
    UUID jobId = send("system.noop", "kfm.tasks.latency-sensitive", "{\"sleep_ms\":2000}", 1);
    JobEvent succeeded = awaitEvent(jobId, JobEventType.SUCCEEDED);
    JobEvent first = firstEvent(jobId);

    assertThat(first.type()).isEqualTo(JobEventType.STARTED);
    // Sent after the start-report delay, saying when the attempt started.
    assertThat(first.startedAt()).isNotNull().isBefore(first.at());
    assertThat(succeeded.startedAt()).isEqualTo(first.startedAt());
    assertThat(Duration.between(first.startedAt(), succeeded.at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
  }

  @Test
  void statusEventsContinueTheTraceOfTheCommand() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    TaskCommand command = aCommand().forTask("system.noop").build();
    UUID jobId = command.jobId();
    kafka.send(
        "kfm.tasks.latency-sensitive",
        jobId.toString(),
        Wire.toJson(command),
        "traceparent",
        "00-" + traceId + "-00f067aa0ba902b7-01");

    var succeeded =
        kafka
            .await(
                Topics.JOB_EVENTS,
                r ->
                    r.key().equals(jobId.toString())
                        && r.value().contains("\"type\":\"succeeded\""),
                1,
                WAIT)
            .get(0);

    var header = succeeded.headers().lastHeader("traceparent");
    assertThat(header).as("traceparent on the outcome").isNotNull();
    assertThat(new String(header.value()).split("-")[1]).isEqualTo(traceId);
  }

  @Test
  void aRetryableFailureIsReportedWithItsCode() {
    UUID jobId =
        send("system.noop", "kfm.tasks.latency-sensitive", "{\"fail_first_attempts\":1}", 1);
    var failed =
        kafka.await(
            Topics.JOB_EVENTS,
            r -> r.key().equals(jobId.toString()) && r.value().contains("\"type\":\"failed\""),
            1,
            WAIT);
    JobEvent event = Wire.fromJson(failed.get(0).value(), JobEvent.class);
    assertThat(event.error().code()).isEqualTo("INJECTED_FAILURE");
    assertThat(event.error().retryable()).isTrue();
    assertThat(event.error().errorId()).isNotBlank();

    UUID second =
        send("system.noop", "kfm.tasks.latency-sensitive", "{\"fail_first_attempts\":1}", 2);
    kafka.await(
        Topics.JOB_EVENTS,
        r -> r.key().equals(second.toString()) && r.value().contains("\"type\":\"succeeded\""),
        1,
        WAIT);
  }

  @Test
  void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextCommandStillRuns() {
    String topic = "kfm.tasks.latency-sensitive";
    kafka.send(topic, "poison-1", "{this is not json");
    UUID unknownTask = send("nobody.knows_this", topic, "{}", 1);

    var dead =
        kafka.await(
            Topics.deadLetterOf(topic),
            r -> "poison-1".equals(r.key()) || unknownTask.toString().equals(r.key()),
            2,
            WAIT);
    assertThat(dead)
        .allSatisfy(r -> assertThat(r.headers().lastHeader("dead-letter-reason")).isNotNull());

    UUID good = send("system.noop", topic, "{}", 1);
    kafka.await(
        Topics.JOB_EVENTS,
        r -> r.key().equals(good.toString()) && r.value().contains("\"type\":\"succeeded\""),
        1,
        WAIT);
  }

  @Test
  void aLongJobDoesNotBlockTheNextRecordsOfItsClass() {
    String topic = "kfm.tasks.latency-sensitive";
    UUID slow = send("system.noop", topic, "{\"sleep_ms\":2500}", 1);
    UUID fast = send("system.noop", topic, "{}", 1);
    kafka.await(
        Topics.JOB_EVENTS,
        r -> r.key().equals(fast.toString()) && r.value().contains("\"type\":\"succeeded\""),
        1,
        WAIT);
    // The fast job finished while the slow one was still running.
    var slowDone =
        kafka.await(
            Topics.JOB_EVENTS, r -> r.key().equals(slow.toString()), 1, Duration.ofSeconds(5));
    assertThat(slowDone).noneMatch(r -> r.value().contains("\"type\":\"succeeded\""));
    kafka.await(
        Topics.JOB_EVENTS,
        r -> r.key().equals(slow.toString()) && r.value().contains("\"type\":\"succeeded\""),
        1,
        WAIT);
  }
}
