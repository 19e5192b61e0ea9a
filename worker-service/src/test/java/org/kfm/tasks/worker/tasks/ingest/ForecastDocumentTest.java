package org.kfm.tasks.worker.tasks.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.Wire;

class ForecastDocumentTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ForecastDocumentTest.class.getResourceAsStream("/nws/" + name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] edited(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode root = (ObjectNode) Wire.mapper().readTree(fixture("forecast-TOP-31-80.json"));
    edit.accept(root);
    return Wire.toJson(root).getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode period(ObjectNode root, int index) {
    return (ObjectNode) root.path("properties").path("periods").get(index);
  }

  private static TaskFailure failureOf(byte[] body) {
    TaskFailure failure =
        catchThrowableOfType(TaskFailure.class, () -> ForecastDocument.read(body));
    assertThat(failure).as("a failure").isNotNull();
    assertThat(failure.retryable()).isFalse();
    return failure;
  }

  @Test
  void aGridpointForecastReadsAsItsPeriodsInOrder() throws IOException {
    Forecast forecast = ForecastDocument.read(fixture("forecast-TOP-31-80.json"));

    assertThat(forecast.updated()).isEqualTo(Instant.parse("2026-11-30T13:52:41Z"));
    assertThat(forecast.periods()).hasSize(14);
    Forecast.Period first = forecast.periods().get(0);
    assertThat(first.name()).isEqualTo("Today");
    assertThat(first.start()).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
    assertThat(first.end()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(first.temperature()).isEqualTo(48);
    assertThat(first.temperatureUnit()).isEqualTo("F");
    assertThat(first.precipitationProbability()).isNull();
    assertThat(forecast.periods().get(3).precipitationProbability()).isEqualTo(40);
    assertThat(forecast.to()).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));
    // The cell's polygon spans about -97.109..-97.080 and 39.745..39.767.
    assertThat(forecast.lon()).isCloseTo(-97.0944, within(0.001));
    assertThat(forecast.lat()).isCloseTo(39.7560, within(0.001));
    assertThat(forecast.geometry().path("type").asText()).isEqualTo("Polygon");
  }

  @Test
  void theOlderUpdatedFieldIsEnoughWhenUpdateTimeIsMissing() throws IOException {
    byte[] body = edited(root -> ((ObjectNode) root.get("properties")).remove("updateTime"));

    assertThat(ForecastDocument.read(body).updated())
        .isEqualTo(Instant.parse("2026-11-30T13:52:41Z"));
  }

  @Test
  void aForecastWithoutGeometryHasNoPlace() throws IOException {
    Forecast forecast = ForecastDocument.read(edited(root -> root.putNull("geometry")));

    assertThat(forecast.lon()).isNull();
    assertThat(forecast.lat()).isNull();
  }

  @Test
  void noBodyOrNoPeriodsIsAnEmptyForecast() throws IOException {
    assertThat(failureOf(new byte[0]).code()).isEqualTo("EMPTY_FORECAST");
    assertThat(failureOf("  \n".getBytes()).code()).isEqualTo("EMPTY_FORECAST");
    TaskFailure noPeriods =
        failureOf(edited(root -> ((ObjectNode) root.get("properties")).putArray("periods")));
    assertThat(noPeriods.code()).isEqualTo("EMPTY_FORECAST");
    assertThat(noPeriods.getMessage()).contains("no periods");
  }

  @Test
  void textThatIsNotOneJsonDocumentIsMalformed() throws IOException {
    byte[] whole = fixture("forecast-TOP-31-80.json");
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
    assertThat(failureOf(truncated).code()).isEqualTo("MALFORMED_FORECAST");
    assertThat(failureOf("<html>Service Unavailable</html>".getBytes()).code())
        .isEqualTo("MALFORMED_FORECAST");
    assertThat(failureOf("{\"type\":\"Feature\"} {}".getBytes()).code())
        .isEqualTo("MALFORMED_FORECAST");
    assertThat(failureOf("{\"type\":\"Feature\",\"type\":\"Other\"}".getBytes()).getMessage())
        .contains("Duplicate field");
  }

  @Test
  void schemaViolationsAreNamedByTheirPointer() throws IOException {
    TaskFailure failure =
        failureOf(
            edited(
                root -> {
                  period(root, 2).remove("temperature");
                  period(root, 4).put("temperatureUnit", "K");
                  period(root, 5).put("startTime", "tomorrow");
                }));

    assertThat(failure.code()).isEqualTo("MALFORMED_FORECAST");
    assertThat(failure.getMessage())
        .contains("/properties/periods/2")
        .contains("/properties/periods/4/temperatureUnit")
        .contains("/properties/periods/5/startTime");
  }

  @Test
  void aPolygonOffTheGlobeIsMalformed() throws IOException {
    TaskFailure failure =
        failureOf(
            edited(
                root ->
                    ((ArrayNode) root.path("geometry").path("coordinates").get(0).get(0))
                        .set(1, Wire.mapper().getNodeFactory().numberNode(139.7))));

    assertThat(failure.getMessage()).contains("/geometry");
  }

  @Test
  void aPeriodMustEndAfterItStarts() throws IOException {
    TaskFailure failure =
        failureOf(
            edited(
                root -> period(root, 0).put("endTime", period(root, 0).get("startTime").asText())));

    assertThat(failure.code()).isEqualTo("MALFORMED_FORECAST");
    assertThat(failure.getMessage()).contains("period 1 (Today)").contains("not after its start");
  }

  @Test
  void periodsMustComeInTimeOrderWithoutOverlap() throws IOException {
    TaskFailure swapped =
        failureOf(
            edited(
                root -> {
                  ArrayNode periods = (ArrayNode) root.path("properties").path("periods");
                  JsonNode second = periods.remove(1);
                  periods.insert(0, second);
                }));
    assertThat(swapped.getMessage()).contains("out of time order");
  }

  @Test
  void temperaturesMustBePlausibleForTheirUnit() throws IOException {
    assertThat(failureOf(edited(root -> period(root, 0).put("temperature", 180))).getMessage())
        .contains("temperature 180.0 F");
    assertThat(
            failureOf(
                    edited(
                        root -> {
                          period(root, 0).put("temperatureUnit", "C");
                          period(root, 0).put("temperature", 80);
                        }))
                .getMessage())
        .contains("temperature 80.0 C");
    // -40 is the same in both units and plausible in either.
    Forecast cold = ForecastDocument.read(edited(root -> period(root, 1).put("temperature", -40)));
    assertThat(cold.periods().get(1).temperature()).isEqualTo(-40);
  }

  @Test
  void aSquaresCentroidIsItsCentre() {
    JsonNode square = Wire.fromJson("[[[10,50],[12,50],[12,52],[10,52],[10,50]]]", JsonNode.class);
    assertThat(GridCentroid.of(square)).containsExactly(11.0, 51.0);
    JsonNode line = Wire.fromJson("[[[10,50],[12,50],[11,50],[10,50]]]", JsonNode.class);
    assertThat(GridCentroid.of(line)[0]).isCloseTo(11.0, within(1e-9));
  }
}
