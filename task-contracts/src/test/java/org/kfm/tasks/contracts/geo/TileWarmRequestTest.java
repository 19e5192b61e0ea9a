package org.kfm.tasks.contracts.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/** What a tile warm request must pass beyond its schema, with the fields each refusal names. */
class TileWarmRequestTest {
  private static final Set<String> LAYERS = Set.of("simulation_sites", "osm");

  private static JsonNode params(String bbox, int minZoom, int maxZoom, String layer) {
    return Wire.fromJson(
        "{\"layer\":\""
            + layer
            + "\",\"bbox\":"
            + bbox
            + ",\"min_zoom\":"
            + minZoom
            + ",\"max_zoom\":"
            + maxZoom
            + "}",
        JsonNode.class);
  }

  private static final String HELSINKI =
      "{\"west\":24.85,\"south\":60.13,\"east\":25.05,\"north\":60.22}";

  @Test
  void aSmallBoxOfAKnownLayerMayRunAndCountsItsTiles() {
    JsonNode p = params(HELSINKI, 10, 12, "simulation_sites");
    assertThat(
            TaskCatalog.fromClasspath()
                .find("geo.tile_cache_warm")
                .orElseThrow()
                .validator()
                .validate(p))
        .isEmpty();
    TileWarmRequest request = TileWarmRequest.of(p);

    assertThat(request.problems(LAYERS, 100)).isEmpty();
    // z10: 2 x 1, z11: x 1165..1166, y 592..593, z12: 4 x 3.
    assertThat(request.ranges()).extracting(TileRange::count).containsExactly(2L, 4L, 12L);
    assertThat(request.tileCount()).isEqualTo(18);
  }

  @Test
  void tooManyTilesNameTheBoxAndTheZoomWithTheCount() {
    TileWarmRequest world =
        TileWarmRequest.of(
            params("{\"west\":-180,\"south\":-90,\"east\":180,\"north\":90}", 0, 8, "osm"));

    var problems = world.problems(LAYERS, 20_000);

    // 1 + 4 + 16 + ... + 4^8 = (4^9 - 1) / 3 = 87,381 tiles.
    assertThat(world.tileCount()).isEqualTo(87_381);
    assertThat(problems)
        .extracting(FieldError::field)
        .containsExactly("/params/bbox", "/params/max_zoom");
    assertThat(problems.get(0).message()).contains("87,381 tiles").contains("20,000");
  }

  @Test
  void edgesInTheWrongOrderAndZoomsReversedAreNamed() {
    TileWarmRequest request =
        TileWarmRequest.of(
            params(
                "{\"west\":25,\"south\":60.2,\"east\":24,\"north\":60.1}",
                12,
                10,
                "simulation_sites"));

    assertThat(request.problems(LAYERS, 100))
        .extracting(FieldError::field)
        .containsExactly("/params/bbox/east", "/params/bbox/north", "/params/min_zoom");
  }

  @Test
  void anUnknownLayerIsNamedWithTheKnownOnes() {
    var problems = TileWarmRequest.of(params(HELSINKI, 10, 10, "satellite")).problems(LAYERS, 100);

    assertThat(problems).extracting(FieldError::field).containsExactly("/params/layer");
    assertThat(problems.get(0).message()).contains("[osm, simulation_sites]");
  }

  @Test
  void aBoxBeyondWebMercatorIsRefusedAsCoveringNoTile() {
    var problems =
        TileWarmRequest.of(
                params("{\"west\":0,\"south\":86,\"east\":10,\"north\":89}", 3, 5, "osm"))
            .problems(LAYERS, 100);

    assertThat(problems).extracting(FieldError::field).containsExactly("/params/bbox");
    assertThat(problems.get(0).message()).contains("85.0511");
  }

  @Test
  void theSchemaRefusesOutOfRangeValuesByField() {
    var validator =
        TaskCatalog.fromClasspath().find("geo.tile_cache_warm").orElseThrow().validator();
    var errors =
        validator.validate(
            params("{\"west\":-181,\"south\":-90,\"east\":10,\"north\":91}", 0, 19, "Bad-Name"));

    assertThat(errors)
        .extracting(FieldError::field)
        .contains("/params/bbox/west", "/params/bbox/north", "/params/max_zoom", "/params/layer");
  }
}
