package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ParamsValidatorTest {
  private final ParamsValidator simulation =
      TaskCatalog.fromClasspath().find("analysis.run_simulation").orElseThrow().validator();

  private static JsonNode json(String text) {
    return Wire.fromJson(text, JsonNode.class);
  }

  @Test
  void validParamsPass() {
    assertThat(
            simulation.validate(
                json(
                    """
                    {"scenario_id":"s1","runs":1000,"annual_event_rate":2.5,"severity":{"mu":1,"sigma":0.5}}
                    """)))
        .isEmpty();
  }

  @Test
  void eachFailingFieldIsNamedByItsPointer() {
    var errors =
        simulation.validate(
            json(
                """
                {"runs":5,"annual_event_rate":2.5,"severity":{"mu":1,"sigma":-1},"color":"red"}
                """));

    assertThat(errors)
        .extracting(FieldError::field)
        .contains("/params/runs", "/params/scenario_id", "/params/severity/sigma");
    assertThat(errors).allSatisfy(e -> assertThat(e.message()).isNotBlank());
  }

  @Test
  void aForecastPullNamesAnOfficeAndAGridCellInRange() {
    ParamsValidator pull =
        TaskCatalog.fromClasspath().find("ingest.noaa_forecast").orElseThrow().validator();

    assertThat(pull.validate(json("{\"office\":\"TOP\",\"grid_x\":31,\"grid_y\":80}"))).isEmpty();
    var errors =
        pull.validate(
            json("{\"office\":\"top/../x\",\"grid_x\":501,\"grid_y\":1.5,\"url\":\"x\"}"));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("/params", "/params/grid_x", "/params/grid_y", "/params/office");
    // An unknown field is reported on the object that holds it.
    assertThat(errors.get(0).message()).contains("url");
  }

  @Test
  void exportFiltersBelongToTheirDataset() {
    ParamsValidator export =
        TaskCatalog.fromClasspath().find("exports.dataset").orElseThrow().validator();

    assertThat(
            export.validate(
                json(
                    """
                    {"dataset":"forecast_periods","format":"geojson",
                     "filters":{"office":"TOP","grid_x":31,"grid_y":80,"from":"2026-11-30T00:00:00Z"}}
                    """)))
        .isEmpty();
    assertThat(
            export.validate(
                json(
                    """
                    {"dataset":"forecast_periods","format":"csv","filters":{"scenario_id":"s1"}}
                    """)))
        .extracting(FieldError::field)
        .containsExactly("/params/filters/scenario_id");
    assertThat(
            export.validate(
                json(
                    """
                    {"dataset":"simulation_runs","format":"csv","filters":{"office":"TOP"}}
                    """)))
        .extracting(FieldError::field)
        .containsExactly("/params/filters/office");
    assertThat(export.validate(json("{\"dataset\":\"simulation_bins\",\"format\":\"geojson\"}")))
        .extracting(FieldError::field)
        .contains("/params/format");
  }
}
