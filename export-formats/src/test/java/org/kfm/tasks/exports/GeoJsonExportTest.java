package org.kfm.tasks.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeoJsonExportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> COLUMNS =
      List.of("job_id", "scenario", "mean_loss", "runs", "converged", "finished_at");

  static List<ExportRow> rows() {
    return List.of(
        new ExportRow(
            List.of(
                "0b6f9a52-8d7e-4f3c-9a51-2f0e7c1d4b11",
                "coastal, \"north\"",
                1234.5,
                100_000L,
                true,
                Instant.parse("2026-11-28T10:15:30Z")),
            13.404954,
            52.520008),
        new ExportRow(
            List.of(
                "5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e",
                "Zürich – 東京",
                0.1,
                5,
                false,
                Instant.parse("2026-11-28T10:15:30.123Z")),
            -180.0,
            -90.0),
        ExportRow.unlocated(
            Arrays.asList("7d2e0c41-0000-4000-8000-000000000004", "inland", null, 0, null, null)));
  }

  private static JsonNode export(List<String> columns, List<ExportRow> rows) throws IOException {
    var out = new ByteArrayOutputStream();
    long count = GeoJsonExport.write(columns, rows.iterator(), out);
    assertThat(count).isEqualTo(rows.size());
    return MAPPER.readTree(out.toByteArray());
  }

  @Test
  void matchesItsGoldenFile() throws IOException {
    JsonNode written = export(COLUMNS, rows());

    assertThat(written).isEqualTo(MAPPER.readTree(Golden.bytes("simulation-runs.geojson")));
  }

  @Test
  void isAnRfc7946FeatureCollection() throws IOException {
    JsonNode written = export(COLUMNS, rows());

    Rfc7946.assertFeatureCollection(written);
    assertThat(written.has("crs")).isFalse();
    assertThat(written.at("/features/2/geometry").isNull()).isTrue();
  }

  @Test
  void keepsNumbersAsNumbersAndInstantsAsIsoStrings() throws IOException {
    JsonNode first = export(COLUMNS, rows()).at("/features/0");

    assertThat(first.at("/properties/mean_loss").isDouble()).isTrue();
    assertThat(first.at("/properties/runs").isIntegralNumber()).isTrue();
    assertThat(first.at("/properties/converged").isBoolean()).isTrue();
    assertThat(first.at("/properties/finished_at").asText()).isEqualTo("2026-11-28T10:15:30Z");
  }

  @Test
  void writesNonFiniteNumbersAsNullAndFloatsAsWritten() throws IOException {
    var rows = List.of(ExportRow.unlocated(List.of(Double.NaN, Double.POSITIVE_INFINITY, 0.1f)));

    JsonNode properties = export(List.of("a", "b", "c"), rows).at("/features/0/properties");

    assertThat(properties.get("a").isNull()).isTrue();
    assertThat(properties.get("b").isNull()).isTrue();
    assertThat(properties.get("c").toString()).isEqualTo("0.1");
  }

  @Test
  void leavesOutTheFeatureIdUnlessTheFirstColumnIsAnId() throws IOException {
    var rows = List.of(new ExportRow(List.of("a", 7), 1.0, 2.0));

    assertThat(export(List.of("name", "id"), rows).at("/features/0").has("id")).isFalse();
    assertThat(export(List.of("id", "n"), rows).at("/features/0/id").asText()).isEqualTo("a");
    assertThat(
            export(List.of("id", "n"), List.of(new ExportRow(List.of(42L, 7), 1.0, 2.0)))
                .at("/features/0/id")
                .isIntegralNumber())
        .isTrue();
  }

  @Test
  void writesAnEmptyCollectionForNoRows() throws IOException {
    JsonNode written = export(COLUMNS, List.of());

    Rfc7946.assertFeatureCollection(written);
    assertThat(written.get("features")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"180.5, 0", "-181, 0", "0, 90.01", "0, -91", "NaN, 0", "0, Infinity"})
  void rejectsCoordinatesOutOfRangeNamingTheRow(double lon, double lat) {
    var rows =
        List.of(
            new ExportRow(List.of("ok"), 0.0, 0.0),
            new ExportRow(List.of("bad"), lon, lat),
            new ExportRow(List.of("never reached"), 0.0, 0.0));

    assertThatThrownBy(
            () ->
                GeoJsonExport.write(List.of("name"), rows.iterator(), new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 2");
  }

  @Test
  void refusesHalfALocation() {
    assertThatThrownBy(() -> new ExportRow(List.of("x"), 1.0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theStructuralCheckCatchesBrokenCollections() throws IOException {
    JsonNode noType = MAPPER.readTree("{\"features\":[]}");
    JsonNode badPoint =
        MAPPER.readTree(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[200,0]},\"properties\":{}}]}");

    assertThatThrownBy(() -> Rfc7946.assertFeatureCollection(noType))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> Rfc7946.assertFeatureCollection(badPoint))
        .isInstanceOf(AssertionError.class);
  }
}
