package org.kfm.tasks.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of RFC 7946 our exports use, checked structurally: a FeatureCollection of Features
 * whose geometry is null or a WGS 84 Point, and whose properties are an object.
 */
final class Rfc7946 {
  private Rfc7946() {}

  static void assertFeatureCollection(JsonNode root) {
    assertThat(root.isObject()).as("root is an object").isTrue();
    assertThat(root.path("type").asText()).as("root type").isEqualTo("FeatureCollection");
    assertThat(root.has("crs")).as("crs was removed by RFC 7946").isFalse();
    JsonNode features = root.path("features");
    assertThat(features.isArray()).as("features is an array").isTrue();
    for (int i = 0; i < features.size(); i++) {
      assertFeature(features.get(i), "features[" + i + "]");
    }
  }

  private static void assertFeature(JsonNode feature, String where) {
    assertThat(feature.path("type").asText()).as(where + ".type").isEqualTo("Feature");
    if (feature.has("id")) {
      JsonNode id = feature.get("id");
      assertThat(id.isTextual() || id.isNumber()).as(where + ".id is a string or number").isTrue();
    }
    assertThat(feature.has("geometry")).as(where + " has a geometry member").isTrue();
    JsonNode geometry = feature.get("geometry");
    if (!geometry.isNull()) {
      assertPoint(geometry, where + ".geometry");
    }
    assertThat(feature.path("properties").isObject())
        .as(where + ".properties is an object")
        .isTrue();
  }

  private static void assertPoint(JsonNode geometry, String where) {
    assertThat(geometry.path("type").asText()).as(where + ".type").isEqualTo("Point");
    JsonNode coordinates = geometry.path("coordinates");
    assertThat(coordinates.isArray() && coordinates.size() == 2)
        .as(where + ".coordinates is [lon, lat]")
        .isTrue();
    assertThat(coordinates.get(0).isNumber() && coordinates.get(1).isNumber())
        .as(where + ".coordinates are numbers")
        .isTrue();
    double lon = coordinates.get(0).asDouble();
    double lat = coordinates.get(1).asDouble();
    assertThat(lon).as(where + " longitude").isFinite().isBetween(-180.0, 180.0);
    assertThat(lat).as(where + " latitude").isFinite().isBetween(-90.0, 90.0);
  }
}
