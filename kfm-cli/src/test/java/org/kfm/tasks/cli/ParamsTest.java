package org.kfm.tasks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.cli.client.Params;

class ParamsTest {
  @Test
  void dottedKeysNestAndValuesAreJsonWhenTheyParse() {
    var params =
        Params.of(
            List.of(
                "scenario_id=first",
                "runs=200000",
                "severity.mu=1",
                "severity.sigma=0.5",
                "flag=true",
                "tags=[\"a\"]"));

    assertThat(params.path("scenario_id").asText()).isEqualTo("first");
    assertThat(params.path("runs").isInt()).isTrue();
    assertThat(params.path("severity").path("sigma").asDouble()).isEqualTo(0.5);
    assertThat(params.path("flag").isBoolean()).isTrue();
    assertThat(params.path("tags").isArray()).isTrue();
  }

  @Test
  void aPairWithoutAnEqualsSignIsRefused() {
    assertThatThrownBy(() -> Params.of(List.of("runs"))).hasMessageContaining("key=value");
  }
}
