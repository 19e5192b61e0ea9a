package org.kfm.tasks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rendered object against its API schema (the node validators, KafkaTopic and ScaledObject
 * included), and against fabric8's typed models for misspelled fields. These are render and schema
 * checks; nothing is applied to a cluster.
 */
class ChartSchemaTest {

  @Test
  void everyRenderedObjectMatchesItsSchema() {
    String defaults = Chart.render().text();
    String production = Chart.render(Repo.PRODUCTION_VALUES).text();
    String cloudNativePg = Chart.render(Repo.CLOUDNATIVEPG_VALUES).text();

    Tools.Result result = SchemaValidator.validate(defaults, production, cloudNativePg);

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.output()).contains(" 0 problems");
  }

  @Test
  void aWronglyTypedFieldFailsTheSchemaCheck() {
    String broken = Chart.render().text().replace("containerPort: 8080", "containerPort: \"8080\"");

    Tools.Result result = SchemaValidator.validate(broken);

    assertThat(result.exitCode()).as("%s", result).isNotZero();
    assertThat(result.output()).contains("containerPort must be integer");
  }

  @Test
  void aKafkaTopicWithAMisspelledFieldFailsTheSchemaCheck() {
    String broken = Chart.render().text().replace("  partitions: ", "  partition: ");

    Tools.Result result = SchemaValidator.validate(broken);

    assertThat(result.exitCode()).as("%s", result).isNotZero();
    assertThat(result.output()).contains("KafkaTopic/").contains("partitions");
  }

  @Test
  void anEmptyRenderFailsTheSchemaCheck() {
    Tools.Result result = SchemaValidator.validate("---\n");

    assertThat(result.exitCode()).as("%s", result).isNotZero();
    assertThat(result.output()).contains("no objects to validate");
  }

  @Test
  void noRenderedObjectHasAFieldKubernetesDoesNotKnow() {
    for (Rendered rendered :
        List.of(
            Chart.render(),
            Chart.render(Repo.PRODUCTION_VALUES),
            Chart.render(Repo.CLOUDNATIVEPG_VALUES))) {
      assertThat(rendered.objects()).isNotEmpty();
      assertThat(StrictFields.problems(rendered.objects())).isEmpty();
    }
  }

  @Test
  void aMisspelledFieldIsCaught() {
    Rendered rendered = Chart.render(List.of(), Map.of()).copy();
    ObjectNode container =
        (ObjectNode)
            rendered
                .ofKind("Deployment")
                .get(0)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .path(0);
    container.set("readinesProbe", container.remove("readinessProbe"));

    assertThat(StrictFields.problems(rendered.objects()))
        .singleElement()
        .asString()
        .contains("readinesProbe");
  }
}
