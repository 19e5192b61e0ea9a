package org.kfm.tasks.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** helm lint --strict and helm template, with the default values and each example. */
class ChartLintAndRenderTest {

  @Test
  void lintsCleanWithDefaultValues() {
    LintResult lint = Chart.lint(null);

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
  }

  @Test
  void lintsCleanWithEachExample() {
    for (Path example : List.of(Repo.PRODUCTION_VALUES, Repo.CLOUDNATIVEPG_VALUES)) {
      LintResult lint = Chart.lint(example);

      assertThat(lint.isFailed()).as("%s: %s", example, lint.getMessages()).isFalse();
    }
  }

  @Test
  void defaultValuesRenderEveryComponent() {
    Rendered rendered = Chart.render();

    assertThat(rendered.ofKind("Deployment")).hasSize(4);
    assertThat(rendered.ofKind("ScaledObject")).hasSize(3);
    assertThat(rendered.ofKind("HorizontalPodAutoscaler")).hasSize(1);
    assertThat(rendered.ofKind("PodDisruptionBudget")).hasSize(4);
    assertThat(rendered.ofKind("Service")).hasSize(1);
    assertThat(rendered.ofKind("NetworkPolicy")).hasSize(3);
    assertThat(rendered.ofKind("KafkaTopic")).isNotEmpty();
    assertThat(rendered.ofKind("CronJob")).as("chores are off by default").isEmpty();
    assertThat(rendered.ofKind("Ingress")).as("ingress is off by default").isEmpty();
    assertThat(rendered.ofKind("ServiceMonitor"))
        .as("without the CRD the api is scraped by annotations")
        .isEmpty();
  }

  @Test
  void productionExampleRendersIngressMonitorsAndChores() {
    Rendered rendered = Chart.render(Repo.PRODUCTION_VALUES);

    assertThat(rendered.ofKind("Ingress")).hasSize(1);
    assertThat(rendered.ofKind("ServiceMonitor")).hasSize(1);
    assertThat(rendered.ofKind("PodMonitor")).hasSize(1);
    assertThat(rendered.ofKind("CronJob")).hasSize(2);
    assertThat(rendered.ofKind("NetworkPolicy")).hasSize(4);
  }

  @Test
  void topicsCanBeLeftToTheOperator() {
    Rendered rendered = Chart.render(List.of(), Map.of("kafka.topics.create", false));

    assertThat(rendered.ofKind("KafkaTopic")).isEmpty();
    assertThat(rendered.ofKind("ScaledObject")).hasSize(3);
  }

  @Test
  void refusesMoreReplicasThanPartitions() {
    assertThatThrownBy(
            () -> Chart.render(List.of(), Map.of("workers.classes.cpu-heavy.maxReplicas", 13)))
        .hasMessageContaining("exceeds its topic's partitions");
  }

  @Test
  void refusesAMisspelledValue() {
    assertThatThrownBy(
            () -> Chart.render(List.of(), Map.of("workers.classes.io-heavy.maxReplica", 4)))
        .hasMessageContaining("maxReplica");
  }

  @Test
  void refusesAClassTheWorkerDoesNotHave() {
    assertThatThrownBy(
            () -> Chart.render(List.of(), Map.of("workers.classes.gpu-heavy.concurrency", 1)))
        .hasMessageContaining("gpu-heavy");
  }

  @Test
  void refusesAnEgressRuleOpenToEverything() {
    assertThatThrownBy(() -> Chart.render(List.of(), Map.of("networkPolicy.kafka.to", List.of())))
        .hasMessageContaining("kafka");
  }

  @Test
  void lintFailsOnABrokenValue() {
    Path broken =
        Chart.writeTemp("workers:\n  classes:\n    cpu-heavy:\n      drainSeconds: soon\n");

    LintResult lint = Chart.lint(broken);

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isTrue();
    assertThat(String.join("\n", lint.getMessages())).contains("drainSeconds");
  }
}
