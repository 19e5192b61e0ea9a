package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ids and params of jobs made from domain events. */
class EventBornJobsTest {

  @Test
  void nameBasedIdsMatchTheRfcExample() {
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(JobIds.nameBased(dns, "www.example.com"))
        .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
  }

  @Test
  void theSameEventForTheSameTaskIsTheSameJob() {
    UUID once = JobIds.forEvent("urn:archive", "scene-1", "ingest.imagery_scene");
    assertThat(JobIds.forEvent("urn:archive", "scene-1", "ingest.imagery_scene")).isEqualTo(once);
    assertThat(once.version()).isEqualTo(5);
    assertThat(JobIds.forEvent("urn:archive", "scene-1", "geo.other")).isNotEqualTo(once);
    assertThat(JobIds.forEvent("urn:other", "scene-1", "ingest.imagery_scene")).isNotEqualTo(once);
  }

  @Test
  void pointersTakeValuesFromTheDataAndAnythingElseIsALiteral() {
    JsonNode data =
        Wire.fromJson(
            "{\"id\":\"s-1\",\"bbox\":[1,2,3,4],\"meta\":{\"sensor\":\"x\"}}", JsonNode.class);
    Map<String, JsonNode> mapping =
        Map.of(
            "scene", Wire.fromJson("\"/id\"", JsonNode.class),
            "west", Wire.fromJson("\"/bbox/0\"", JsonNode.class),
            "sensor", Wire.fromJson("\"/meta/sensor\"", JsonNode.class),
            "zoom", Wire.fromJson("12", JsonNode.class),
            "layer", Wire.fromJson("\"imagery\"", JsonNode.class),
            "cloud", Wire.fromJson("\"/cloud_cover\"", JsonNode.class),
            "box", Wire.fromJson("{\"west\":\"/bbox/0\",\"north\":\"/bbox/3\"}", JsonNode.class));

    JsonNode params = EventParams.map(mapping, data);

    assertThat(params.path("scene").asText()).isEqualTo("s-1");
    assertThat(params.path("west").asInt()).isEqualTo(1);
    assertThat(params.path("sensor").asText()).isEqualTo("x");
    assertThat(params.path("zoom").asInt()).isEqualTo(12);
    assertThat(params.path("layer").asText()).isEqualTo("imagery");
    assertThat(params.has("cloud"))
        .as("a pointer that finds nothing leaves its param out")
        .isFalse();
  }
}
