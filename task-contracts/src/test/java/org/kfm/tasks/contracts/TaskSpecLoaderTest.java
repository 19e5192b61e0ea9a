package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskSpecLoaderTest {
  private static final String VALID = Specs.VALID;

  private static TaskSpec load(String yaml) {
    return Specs.load(yaml);
  }

  @Test
  void aCompleteSpecLoads() {
    TaskSpec spec = load(VALID);
    assertThat(spec.name()).isEqualTo("demo.echo");
    assertThat(spec.concurrencyClass()).isEqualTo(ConcurrencyClass.IO_HEAVY);
    assertThat(spec.retries().backoff()).isEqualTo(TaskSpec.BackoffKind.EXPONENTIAL);
    assertThat(spec.triggers()).containsExactly("kfm.events.demo.happened");
    assertThat(spec.requiredRole()).isEqualTo("user");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    String bad =
        VALID
            .replace("queue: io-heavy", "queue: gpu")
            .replace("max_attempts: 3", "max_attempts: 0")
            .replace("name: demo.echo", "name: Echo");
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("test.yaml")
        .hasMessageContaining("queue must be one of")
        .hasMessageContaining("retries.max_attempts must be >= 1")
        .hasMessageContaining("name must look like");
  }

  @Test
  void aMisspelledFieldIsRefusedWithItsName() {
    assertThatThrownBy(() -> load(VALID.replace("timeout_seconds", "timeout_secs")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("timeout_secs");
  }

  @Test
  void aMisspelledTopLevelFieldIsRefusedByNameWithTheClosestKnownOne() {
    assertThatThrownBy(() -> load(VALID.replace("concurrency_limit", "concurency_limit")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("unknown field concurency_limit")
        .hasMessageContaining("did you mean concurrency_limit?")
        .hasMessageContaining("triggered_by")
        .hasMessageNotContaining("org.kfm");
  }

  @Test
  void aMisspelledNestedFieldIsRefusedWithItsPath() {
    assertThatThrownBy(
            () -> load(VALID.replace("{ required_role: user }", "{ requierd_role: user }")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("unknown field security.requierd_role")
        .hasMessageContaining("did you mean required_role?")
        .hasMessageContaining("the fields allowed there are auth, redact, required_role");
    assertThatThrownBy(() -> load(VALID.replace("max_attempts", "max_attemps")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("unknown field retries.max_attemps")
        .hasMessageContaining("did you mean max_attempts?");
    assertThatThrownBy(
            () -> load(VALID + "observability: { logs: [job_id], metric: [duration] }\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("unknown field observability.metric")
        .hasMessageContaining("did you mean metrics?");
  }

  @Test
  void anUnknownFieldFarFromAnyKnownOneIsStillRefusedByName() {
    assertThatThrownBy(() -> load(VALID + "colour: blue\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("unknown field colour")
        .hasMessageNotContaining("did you mean");
  }

  @Test
  void theNewFieldsAreOptional() {
    TaskSpec spec = load(VALID);
    assertThat(spec.httpRoutes()).isEmpty();
    assertThat(spec.triggeredBy().events()).isEmpty();
    assertThat(spec.eventTopics()).containsExactly("kfm.events.demo.happened");
    assertThat(spec.observability().logs()).isEmpty();
    assertThat(spec.observability().metrics()).isEmpty();
    assertThat(spec.security().auth()).isNull();
  }

  @Test
  void securityAuthJwtIsAccepted() {
    TaskSpec spec =
        load(VALID.replace("{ required_role: user }", "{ auth: jwt, required_role: user }"));
    assertThat(spec.security().auth()).isEqualTo("jwt");
  }

  @Test
  void securityAuthOtherThanJwtIsRefused() {
    assertThatThrownBy(
            () ->
                load(
                    VALID.replace(
                        "{ required_role: user }", "{ auth: basic, required_role: user }")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining(
            "security.auth must be jwt (the only scheme the API speaks), got basic");
  }

  @Test
  void observabilityListsHoldNamesOnly() {
    TaskSpec spec =
        load(VALID + "observability: { logs: [job_id, trace_id], metrics: [duration] }\n");
    assertThat(spec.observability().logs()).containsExactly("job_id", "trace_id");
    assertThat(spec.observability().metrics()).containsExactly("duration");

    assertThatThrownBy(() -> load(VALID + "observability: { logs: [job_id, 42] }\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("must be a string, got a number")
        .hasMessageContaining("at observability.logs[1]");
    assertThatThrownBy(() -> load(VALID + "observability: { metrics: [{ duration: ms }] }\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("must be a string, got a map")
        .hasMessageContaining("at observability.metrics[0]");
    assertThatThrownBy(() -> load(VALID + "observability: { logs: [job_id, ~] }\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("must be a string")
        .hasMessageContaining("at observability.logs[1]");
    assertThatThrownBy(() -> load(VALID + "observability: { logs: [\"  \"] }\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("observability.logs[0] must be a non-empty string");
    assertThatThrownBy(() -> load(VALID + "observability: { logs: job_id }\n"))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("observability.logs");
  }

  @Test
  void aMissingRequiredFieldIsRefused() {
    assertThatThrownBy(() -> load(VALID.replace("ttl_seconds: 600\n", "")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("ttl_seconds");
  }

  @Test
  void anInvalidInputSchemaIsRefused() {
    assertThatThrownBy(() -> load(VALID.replace("type: string", "type: 12")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("input_schema");
  }

  @Test
  void aTriggerOutsideTheDomainEventTopicsIsRefused() {
    assertThatThrownBy(() -> load(VALID.replace("kfm.events.demo.happened", "orders")))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("trigger orders");
  }

  @Test
  void theShippedCatalogLoads() {
    TaskCatalog catalog = TaskCatalog.fromClasspath();
    assertThat(catalog.find("analysis.run_simulation")).isPresent();
    TaskSpec simulation = catalog.find("analysis.run_simulation").orElseThrow().spec();
    TaskSpec.HttpRoute route = new TaskSpec.HttpRoute("POST", "/api/simulation/run");
    assertThat(simulation.httpRoutes()).containsExactly(route);
    assertThat(catalog.findByRoute(route))
        .hasValueSatisfying(e -> assertThat(e.spec().name()).isEqualTo("analysis.run_simulation"));
    assertThat(simulation.observability().logs())
        .containsExactly("job_id", "task", "attempt", "trace_id", "step");
    assertThat(simulation.observability().metrics())
        .containsExactly("duration", "success_rate", "queue_lag");
    assertThat(catalog.find("system.noop"))
        .hasValueSatisfying(e -> assertThat(e.spec().hidden()).isTrue());
  }
}
