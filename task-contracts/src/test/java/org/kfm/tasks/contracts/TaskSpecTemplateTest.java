package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.TaskSpec.HttpRoute;

/** The spec template a product team copies loads as written. */
class TaskSpecTemplateTest {
  private static final String TEMPLATE = "templates/task-spec-template.yaml";

  private static InputStream template() {
    InputStream in = TaskSpecTemplateTest.class.getClassLoader().getResourceAsStream(TEMPLATE);
    assertThat(in).as(TEMPLATE).isNotNull();
    return in;
  }

  @Test
  void theTemplateLoadsVerbatim() throws IOException {
    TaskSpec spec;
    try (InputStream in = template()) {
      spec = TaskSpecLoader.load(TEMPLATE, in);
    }

    assertThat(spec.name()).isEqualTo("analysis.run_simulation");
    assertThat(spec.version()).isEqualTo(1);
    assertThat(spec.purpose()).isEqualTo("Run a scenario simulation; store results; expose status");
    assertThat(spec.owner()).isEqualTo("analysis-team");

    assertThat(spec.httpRoutes()).containsExactly(new HttpRoute("POST", "/api/simulation/run"));
    assertThat(spec.httpRoutes().get(0).toString()).isEqualTo("POST /api/simulation/run");
    assertThat(spec.triggeredBy().events()).containsExactly("imagery.arrived");
    assertThat(spec.triggers()).containsExactly("kfm.events.scenario.updated");
    assertThat(spec.eventTopics())
        .containsExactly("kfm.events.scenario.updated", "kfm.events.imagery.arrived");

    assertThat(spec.concurrencyClass()).isEqualTo(ConcurrencyClass.CPU_HEAVY);
    assertThat(spec.concurrencyLimit()).isEqualTo(2);
    assertThat(spec.retries())
        .isEqualTo(new TaskSpec.Retries(3, TaskSpec.BackoffKind.EXPONENTIAL, 2, 300, true));
    assertThat(spec.timeoutSeconds()).isEqualTo(3600);
    assertThat(spec.ttlSeconds()).isEqualTo(86400);
    assertThat(spec.idempotency().keyFields()).containsExactly("scenario_id", "params_hash");

    assertThat(spec.inputSchema().path("required").toString())
        .isEqualTo("[\"scenario_id\",\"runs\"]");
    assertThat(spec.inputSchema().path("properties").path("runs").path("minimum").asInt())
        .isEqualTo(100);

    assertThat(spec.outputs().location()).isEqualTo("postgres");
    assertThat(spec.outputs().tables())
        .containsExactly("simulation_runs", "simulation_run_artifacts");
    assertThat(spec.observability().logs())
        .containsExactly("job_id", "task", "attempt", "trace_id", "step");
    assertThat(spec.observability().metrics())
        .containsExactly("duration", "success_rate", "queue_lag");
    assertThat(spec.security().auth()).isEqualTo("jwt");
    assertThat(spec.requiredRole()).isEqualTo("analyst");
    assertThat(spec.redactedFields()).containsExactly("api_token");
    assertThat(spec.lineage().include())
        .containsExactly("input_dataset_versions", "pipeline_run_id");
    assertThat(spec.hidden()).isFalse();
  }

  @Test
  void theTemplateInputSchemaValidatesParams() throws IOException {
    TaskSpec spec;
    try (InputStream in = template()) {
      spec = TaskSpecLoader.load(TEMPLATE, in);
    }
    ObjectMapper json = new ObjectMapper();
    ParamsValidator validator = new ParamsValidator(spec.inputSchema());
    assertThat(validator.validate(json.readTree("{\"scenario_id\": \"s1\", \"runs\": 1000}")))
        .isEmpty();
    assertThat(validator.validate(json.readTree("{\"scenario_id\": \"s1\", \"runs\": 1}")))
        .extracting(FieldError::field)
        .containsExactly("/params/runs");
  }

  /** A field added to TaskSpec shows up in the template, so the template stays complete. */
  @Test
  void theTemplateNamesEveryFieldOfASpecInTheDocumentedOrder() throws IOException {
    JsonNode tree;
    try (InputStream in = template()) {
      tree = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<String> written = new ArrayList<>();
    tree.fieldNames().forEachRemaining(written::add);

    PropertyNamingStrategies.SnakeCaseStrategy snake =
        new PropertyNamingStrategies.SnakeCaseStrategy();
    List<String> fields =
        Arrays.stream(TaskSpec.class.getRecordComponents())
            .map(c -> snake.translate(c.getName()))
            .filter(name -> !name.equals("hidden")) // internal: not for product tasks
            .toList();
    assertThat(written).containsExactlyInAnyOrderElementsOf(fields);
    assertThat(written)
        .containsExactly(
            "name",
            "version",
            "purpose",
            "owner",
            "triggered_by",
            "queue",
            "concurrency_limit",
            "retries",
            "timeout_seconds",
            "ttl_seconds",
            "idempotency",
            "input_schema",
            "outputs",
            "observability",
            "security",
            "triggers",
            "event_params",
            "lineage");
  }
}
