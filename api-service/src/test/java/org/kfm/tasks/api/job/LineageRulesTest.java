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
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/** The lineage a client may declare, and what a job records: no database, no broker. */
class LineageRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Caller ANALYST = new Caller("alice", Set.of("analyst"));
  private static final Caller ADMIN = new Caller("root", Set.of("admin"));
  private static final JsonNode SIMULATION_PARAMS =
      Wire.fromJson(
          "{\"scenario_id\":\"s1\",\"runs\":1000,\"annual_event_rate\":2,"
              + "\"severity\":{\"mu\":1,\"sigma\":0.5}}",
          JsonNode.class);

  private final SubmissionRules rules =
      new SubmissionRules(TaskCatalog.fromClasspath(), Duration.ofSeconds(3));

  private static SubmitJobRequest simulationWith(String lineage) {
    return new SubmitJobRequest(
        "analysis.run_simulation",
        SIMULATION_PARAMS,
        null,
        null,
        lineage == null ? null : Wire.fromJson(lineage, JsonNode.class));
  }

  private ApiProblem refusal(Caller caller, SubmitJobRequest request) {
    return catchThrowableOfType(() -> rules.prepare(caller, request, null, NOW), ApiProblem.class);
  }

  private ApiProblem refusal(String lineage) {
    return refusal(ANALYST, simulationWith(lineage));
  }

  @Test
  void theRecordedLineageHoldsTheJobsIdentityAndTheDeclaredFields() {
    NewJob job =
        rules.prepare(
            ANALYST,
            simulationWith(
                "{\"pipeline_run_id\":\"run-7\",\"input_dataset_versions\":{\"rain\":\"v3\"}}"),
            null,
            NOW);

    JsonNode lineage = job.lineage();
    assertThat(lineage.path("jobId").asText()).isEqualTo(job.id().toString());
    assertThat(lineage.path("task").asText()).isEqualTo("analysis.run_simulation");
    assertThat(lineage.path("taskVersion").asInt()).isEqualTo(job.taskVersion());
    assertThat(lineage.has("traceId")).isTrue();
    assertThat(lineage.path("pipeline_run_id").asText()).isEqualTo("run-7");
    assertThat(lineage.path("input_dataset_versions").path("rain").asText()).isEqualTo("v3");
  }

  @Test
  void withoutLineageAJobRecordsItsIdentityOnly() {
    NewJob job = rules.prepare(ANALYST, simulationWith(null), null, NOW);

    assertThat(job.lineage().properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly("jobId", "task", "taskVersion", "traceId");
  }

  @Test
  void aFieldTheSpecDoesNotListIsRefusedByItsPath() {
    ApiProblem problem = refusal("{\"unknown_key\":\"x\",\"pipeline_run_id\":\"ok\"}");

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors())
        .extracting(FieldError::field)
        .containsExactly("/lineage/unknown_key");
  }

  @Test
  void aTaskWithoutLineageFieldsRefusesAnyField() {
    SubmitJobRequest noop =
        new SubmitJobRequest(
            "system.noop",
            null,
            null,
            null,
            Wire.fromJson("{\"pipeline_run_id\":\"r\"}", JsonNode.class));

    assertThat(refusal(ADMIN, noop).errors())
        .extracting(FieldError::field)
        .containsExactly("/lineage/pipeline_run_id");
  }

  @Test
  void eachMalformedFieldIsNamed() {
    String tooLong = "x".repeat(129);
    ApiProblem problem =
        refusal(
            "{\"pipeline_run_id\":\""
                + tooLong
                + "\",\"input_dataset_versions\":{\"rain\":3,\"\":\"v\",\"a/b\":\"\"}}");

    assertThat(problem.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "/lineage/pipeline_run_id",
            "/lineage/input_dataset_versions/rain",
            "/lineage/input_dataset_versions/",
            "/lineage/input_dataset_versions/a~1b");
  }

  @Test
  void anEmptyRunIdADatasetListThatIsNoObjectAndTooManyDatasetsAreRefused() {
    assertThat(refusal("{\"pipeline_run_id\":\"\"}").errors())
        .extracting(FieldError::field)
        .containsExactly("/lineage/pipeline_run_id");
    assertThat(refusal("{\"input_dataset_versions\":[\"v1\"]}").errors())
        .extracting(FieldError::field)
        .containsExactly("/lineage/input_dataset_versions");
    StringBuilder many = new StringBuilder("{\"input_dataset_versions\":{");
    for (int i = 0; i <= LineageRules.MAX_DATASETS; i++) {
      many.append(i == 0 ? "" : ",").append("\"d").append(i).append("\":\"v\"");
    }
    assertThat(refusal(many.append("}}").toString()).errors())
        .extracting(FieldError::field)
        .containsExactly("/lineage/input_dataset_versions");
  }

  @Test
  void lineageThatIsNoObjectIsRefusedAsAWhole() {
    assertThat(refusal("[\"run-7\"]").errors())
        .extracting(FieldError::field)
        .containsExactly("/lineage");
  }

  @Test
  void lineageIsNotPartOfWhatAnIdempotencyKeyCompares() {
    NewJob one = rules.prepare(ANALYST, simulationWith("{\"pipeline_run_id\":\"a\"}"), "k", NOW);
    NewJob two = rules.prepare(ANALYST, simulationWith("{\"pipeline_run_id\":\"b\"}"), "k", NOW);

    assertThat(one.paramsHash()).isEqualTo(two.paramsHash());
  }
}
