package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What submit refuses for the ML tasks and for exporting their predictions, field by field. */
class MlSpecsTest {
  private static final TaskCatalog CATALOG = TaskCatalog.fromClasspath();

  private static java.util.List<String> errors(String task, String params) {
    return CATALOG
        .find(task)
        .orElseThrow()
        .validator()
        .validate(Wire.fromJson(params, JsonNode.class))
        .stream()
        .map(FieldError::field)
        .toList();
  }

  @Test
  void aRetrainNeedsAPlainModelNameAndKnownSettings() {
    assertThat(errors("ml.retrain", "{\"model\":\"loss-p95\"}")).isEmpty();
    assertThat(
            errors(
                "ml.retrain",
                "{\"model\":\"loss-p95\",\"target\":\"p95\",\"seed\":7,\"test_fraction\":0.3,"
                    + "\"min_rows\":50,\"max_rows\":1000,\"promotion_margin\":0.1}"))
        .isEmpty();
    assertThat(errors("ml.retrain", "{}")).containsExactly("/params/model");
    assertThat(errors("ml.retrain", "{\"model\":\"../etc\"}")).containsExactly("/params/model");
    assertThat(errors("ml.retrain", "{\"model\":\"Loss\"}")).containsExactly("/params/model");
    assertThat(errors("ml.retrain", "{\"model\":\"m\",\"target\":\"p99\"}"))
        .containsExactly("/params/target");
    assertThat(errors("ml.retrain", "{\"model\":\"m\",\"test_fraction\":1}"))
        .containsExactly("/params/test_fraction");
    assertThat(errors("ml.retrain", "{\"model\":\"m\",\"min_rows\":2}"))
        .containsExactly("/params/min_rows");
    assertThat(errors("ml.retrain", "{\"model\":\"m\",\"promotion_margin\":-0.1}"))
        .containsExactly("/params/promotion_margin");
  }

  @Test
  void anInferenceNamesAModelAndOptionallyAVersionAndRuns() {
    assertThat(errors("ml.batch_inference", "{\"model\":\"m\"}")).isEmpty();
    assertThat(
            errors(
                "ml.batch_inference",
                "{\"model\":\"m\",\"version\":3,\"filters\":{\"scenario_id\":\"s\","
                    + "\"ids\":[\"0b7f6a0e-52c5-4a43-9d4b-3f0e2a9c1d11\"]}}"))
        .isEmpty();
    assertThat(errors("ml.batch_inference", "{\"model\":\"m\",\"version\":0}"))
        .containsExactly("/params/version");
    assertThat(errors("ml.batch_inference", "{\"model\":\"m\",\"filters\":{\"ids\":[\"x\"]}}"))
        .containsExactly("/params/filters/ids/0");
    assertThat(errors("ml.batch_inference", "{\"model\":\"m\",\"filters\":{\"from\":\"x\"}}"))
        .containsExactly("/params/filters");
  }

  @Test
  void predictionsExportAsCsvButNotAsGeoJson() {
    assertThat(errors("exports.dataset", "{\"dataset\":\"ml_predictions\",\"format\":\"csv\"}"))
        .isEmpty();
    assertThat(errors("exports.dataset", "{\"dataset\":\"ml_predictions\",\"format\":\"geojson\"}"))
        .containsExactly("/params/format");
    assertThat(
            errors("exports.dataset", "{\"dataset\":\"simulation_bins\",\"format\":\"geojson\"}"))
        .containsExactly("/params/format");
    assertThat(
            errors("exports.dataset", "{\"dataset\":\"simulation_runs\",\"format\":\"geojson\"}"))
        .isEmpty();
  }
}
