package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskSpecLoaderTest {
  private static final String VALID =
      """
      name: demo.echo
      version: 1
      purpose: Echo
      owner: demo-team
      queue: io-heavy
      concurrency_limit: 4
      retries: { max_attempts: 3, backoff: exponential, initial_delay_seconds: 1, max_delay_seconds: 10, jitter: true }
      timeout_seconds: 30
      ttl_seconds: 600
      input_schema: { type: object, properties: { text: { type: string } } }
      security: { required_role: user }
      triggers: [ kfm.events.demo.happened ]
      """;

  private static TaskSpec load(String yaml) {
    return TaskSpecLoader.load(
        "test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
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
    assertThat(catalog.find("system.noop"))
        .hasValueSatisfying(e -> assertThat(e.spec().hidden()).isTrue());
  }
}
