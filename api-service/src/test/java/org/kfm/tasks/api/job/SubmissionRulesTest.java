package org.kfm.tasks.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.JobStatus;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/** What a submission must pass to become a job, and the row it becomes: no database, no broker. */
class SubmissionRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static final Caller ANALYST = new Caller("alice", Set.of("analyst"));
  private static final String SIMULATION = "analysis.run_simulation";

  private final SubmissionRules rules = new SubmissionRules(TaskCatalog.fromClasspath(), GRACE);

  private static JsonNode simulation(int runs) {
    return Wire.fromJson(
        "{\"scenario_id\":\"s1\",\"runs\":"
            + runs
            + ",\"annual_event_rate\":2,\"severity\":{\"mu\":1,\"sigma\":0.5}}",
        JsonNode.class);
  }

  private static SubmitJobRequest request(JsonNode params, String runAt, String deadline) {
    return new SubmitJobRequest(SIMULATION, params, runAt, deadline, null);
  }

  private ApiProblem refusal(Caller caller, SubmitJobRequest request, String key) {
    return catchThrowableOfType(() -> rules.prepare(caller, request, key, NOW), ApiProblem.class);
  }

  @Test
  void aValidSubmissionToRunNowIsQueuedAndLeftToItsRequestForTheGrace() {
    NewJob job = rules.prepare(ANALYST, request(simulation(1000), null, null), null, NOW);

    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.owner()).isEqualTo("alice");
    assertThat(job.queue()).isEqualTo("cpu-heavy");
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(job.runAt()).isEqualTo(NOW);
    assertThat(job.nextDispatchAt()).isEqualTo(NOW.plus(GRACE));
    assertThat(job.deadline()).isEqualTo(NOW.plus(Duration.ofDays(1)));
  }

  @Test
  void aLaterRunAtSchedulesTheJobAndAPastOneRunsNow() {
    Instant later = NOW.plusSeconds(60);
    NewJob delayed =
        rules.prepare(ANALYST, request(simulation(1000), later.toString(), null), null, NOW);
    NewJob past =
        rules.prepare(
            ANALYST, request(simulation(1000), NOW.minusSeconds(60).toString(), null), null, NOW);

    assertThat(delayed.status()).isEqualTo(JobStatus.SCHEDULED);
    assertThat(delayed.nextDispatchAt()).isEqualTo(later);
    assertThat(past.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(past.runAt()).isEqualTo(NOW);
  }

  @Test
  void paramsOutsideTheSchemaAreRefusedNamingEachField() {
    ApiProblem problem = refusal(ANALYST, request(simulation(5), null, null), null);

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors()).extracting(FieldError::field).contains("/params/runs");
  }

  @Test
  void anUnknownTaskAMissingRoleAndBadTimesAreRefused() {
    assertThat(
            refusal(ANALYST, new SubmitJobRequest("no.such", null, null, null, null), null)
                .errors())
        .extracting(FieldError::field)
        .containsExactly("/task");
    assertThat(
            refusal(
                    new Caller("bob", Set.of("viewer")),
                    request(simulation(1000), null, null),
                    null)
                .status())
        .isEqualTo(403);
    assertThat(refusal(ANALYST, request(simulation(1000), "tomorrow", null), null).errors())
        .extracting(FieldError::field)
        .containsExactly("/runAt");
    assertThat(
            refusal(ANALYST, request(simulation(1000), null, NOW.minusSeconds(1).toString()), null)
                .errors())
        .extracting(FieldError::field)
        .containsExactly("/deadline");
  }

  @Test
  void theTasksTtlCapsARequestedDeadline() {
    NewJob job =
        rules.prepare(
            ANALYST,
            request(simulation(1000), null, NOW.plus(Duration.ofDays(30)).toString()),
            null,
            NOW);

    assertThat(job.deadline()).isEqualTo(NOW.plus(Duration.ofDays(1)));
  }

  @Test
  void anIdempotencyKeyMustBePrintableAscii() {
    assertThat(refusal(ANALYST, request(simulation(1000), null, null), "ключ").errors())
        .extracting(FieldError::field)
        .containsExactly("header:Idempotency-Key");
    assertThat(
            rules
                .prepare(ANALYST, request(simulation(1000), null, null), "order-42", NOW)
                .idempotencyKey())
        .isEqualTo("order-42");
  }

  @Test
  void withoutAKeyTheSpecsKeyFieldsDeriveOneSoTheSameRequestIsOneJob() {
    NewJob first = rules.prepare(ANALYST, request(simulation(1000), null, null), null, NOW);
    NewJob again = rules.prepare(ANALYST, request(simulation(1000), null, null), null, NOW);
    NewJob other = rules.prepare(ANALYST, request(simulation(2000), null, null), null, NOW);

    assertThat(first.idempotencyKey()).startsWith("spec:").isEqualTo(again.idempotencyKey());
    assertThat(other.idempotencyKey()).isNotEqualTo(first.idempotencyKey());
    assertThat(first.id()).isNotEqualTo(again.id());
  }

  @Test
  void aTasksOwnCheckRunsAfterTheSchemaAndItsErrorsAre400() {
    ParamsCheck evenRuns =
        new ParamsCheck() {
          @Override
          public String task() {
            return SIMULATION;
          }

          @Override
          public java.util.List<FieldError> check(JsonNode params) {
            return params.path("runs").asInt() % 2 == 0
                ? java.util.List.of()
                : java.util.List.of(new FieldError("/params/runs", "runs must be even"));
          }
        };
    SubmissionRules checked =
        new SubmissionRules(TaskCatalog.fromClasspath(), GRACE, java.util.List.of(evenRuns));

    ApiProblem odd =
        catchThrowableOfType(
            () -> checked.prepare(ANALYST, request(simulation(1001), null, null), null, NOW),
            ApiProblem.class);
    assertThat(odd.status()).isEqualTo(400);
    assertThat(odd.getMessage()).isEqualTo("runs must be even");
    assertThat(odd.errors()).containsExactly(new FieldError("/params/runs", "runs must be even"));
    assertThat(checked.prepare(ANALYST, request(simulation(1000), null, null), null, NOW).task())
        .isEqualTo(SIMULATION);
    // Params outside the schema are refused by the schema; the check never sees them.
    ApiProblem outside =
        catchThrowableOfType(
            () -> checked.prepare(ANALYST, request(simulation(5), null, null), null, NOW),
            ApiProblem.class);
    assertThat(outside.getMessage()).startsWith("params do not match the input schema");
  }
}
