package org.kfm.tasks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobControlRequest;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;
import org.kfm.tasks.worker.run.RunningAttempts;

/** Timeouts, cancellation and deadlines as the worker enforces them. */
@QuarkusTest
class AttemptControlTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOPIC = "kfm.tasks.latency-sensitive";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject RunningAttempts attempts;

  private KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private UUID send(String params, Instant deadline) {
    UUID jobId = UUID.randomUUID();
    sendNoop(jobId, 1, params, deadline);
    return jobId;
  }

  private void sendNoop(UUID jobId, int attempt, String params, Instant deadline) {
    TaskCommand command =
        aCommand()
            .forJob(jobId)
            .forTask("system.noop")
            .attempt(attempt)
            .withParams(params)
            .deadline(deadline)
            .build();
    kafka.send(TOPIC, jobId.toString(), Wire.toJson(command));
  }

  private JobEvent awaitFinal(UUID jobId, String type) {
    var record =
        kafka.await(
            Topics.JOB_EVENTS,
            r ->
                r.key().equals(jobId.toString()) && r.value().contains("\"type\":\"" + type + "\""),
            1,
            WAIT);
    return Wire.fromJson(record.get(0).value(), JobEvent.class);
  }

  @Test
  void anAttemptOverItsTimeoutFailsWithTimeoutAndIsRetryable() {
    UUID jobId = send("{\"sleep_ms\":10000}", Instant.now().plusSeconds(600));
    Instant sent = Instant.now();
    JobEvent failed = awaitFinal(jobId, "failed");
    assertThat(failed.error().code()).isEqualTo("TIMEOUT");
    assertThat(failed.error().retryable()).isTrue();
    assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void aHandlerIgnoringItsStopIsAbandonedAndItsSlotReclaimed() {
    int before = attempts.abandonedCount();
    UUID jobId = send("{\"sleep_ms\":15000,\"ignore_stop\":true}", Instant.now().plusSeconds(600));
    Instant sent = Instant.now();
    JobEvent failed = awaitFinal(jobId, "failed");
    assertThat(failed.error().code()).isEqualTo("TIMEOUT");
    // 3 s timeout + 5 s grace, well before the handler's own 15 s.
    assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(12));
    assertThat(attempts.abandonedCount()).isEqualTo(before + 1);
  }

  @Test
  void aCancelRequestStopsARunningAttempt() {
    UUID jobId = send("{\"sleep_ms\":2800}", Instant.now().plusSeconds(600));
    kafka.await(
        Topics.JOB_EVENTS,
        r -> r.key().equals(jobId.toString()) && r.value().contains("\"type\":\"started\""),
        1,
        WAIT);
    kafka.send(
        Topics.JOB_CONTROL,
        jobId.toString(),
        Wire.toJson(JobControlRequest.cancel(jobId, 1, Instant.now())));
    awaitFinal(jobId, "canceled");
  }

  @Test
  void aCommandPastItsDeadlineIsReportedExpiredAndNotRun() {
    UUID jobId = send("{}", Instant.now().minusSeconds(1));
    JobEvent expired = awaitFinal(jobId, "expired");
    assertThat(expired.error().code()).isEqualTo("EXPIRED");
    var all =
        kafka.await(
            Topics.JOB_EVENTS, r -> r.key().equals(jobId.toString()), 1, Duration.ofSeconds(5));
    assertThat(all).noneMatch(r -> r.value().contains("\"type\":\"started\""));
  }

  @Test
  void aJobCanceledBeforeItsCommandArrivesIsSkipped() {
    UUID jobId = UUID.randomUUID();
    kafka.send(
        Topics.JOB_CONTROL,
        jobId.toString(),
        Wire.toJson(JobControlRequest.cancel(jobId, 1, Instant.now())));
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              // The control consumer has seen it once the registry remembers it.
              return attemptsRemember(jobId);
            });
    UUID marker = send("{}", Instant.now().plusSeconds(600));
    sendNoop(jobId, 1, "{}", Instant.now().plusSeconds(600));
    awaitFinal(marker, "succeeded");
    // Give the skipped command time to have been consumed, then check it never started.
    UUID after = send("{}", Instant.now().plusSeconds(600));
    awaitFinal(after, "succeeded");
    var events = kafka.await(Topics.JOB_EVENTS, r -> true, 1, Duration.ofSeconds(5));
    assertThat(events).noneMatch(r -> jobId.toString().equals(r.key()));
  }

  @Test
  void aCancelStopsOnlyTheAttemptItNamesSoARetryAfterItRuns() {
    UUID jobId = UUID.randomUUID();
    kafka.send(
        Topics.JOB_CONTROL,
        jobId.toString(),
        Wire.toJson(JobControlRequest.cancel(jobId, 1, Instant.now())));
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> attemptsRemember(jobId));
    assertThat(attempts.wasCanceled(jobId, 2)).isFalse();

    sendNoop(jobId, 2, "{}", Instant.now().plusSeconds(600));
    assertThat(awaitFinal(jobId, "succeeded").attempt()).isEqualTo(2);
  }

  private boolean attemptsRemember(UUID jobId) {
    return attempts.wasCanceled(jobId, 1);
  }
}
