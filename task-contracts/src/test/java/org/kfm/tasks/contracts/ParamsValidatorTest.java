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
}
