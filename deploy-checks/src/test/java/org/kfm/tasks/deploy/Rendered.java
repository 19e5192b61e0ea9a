package org.kfm.tasks.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The objects of one render, in the order Helm wrote them. */
record Rendered(String text, List<ObjectNode> objects) {

  static Rendered parse(String text) {
    List<ObjectNode> objects = new ArrayList<>();
    try (JsonParser parser = Chart.YAML.getFactory().createParser(text);
        MappingIterator<JsonNode> documents = Chart.YAML.readValues(parser, JsonNode.class)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document instanceof ObjectNode object && !object.isEmpty()) {
          objects.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Rendered(text, List.copyOf(objects));
  }

  List<ObjectNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<ObjectNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst();
  }

  /** A deep copy to break on purpose: the checks must notice. */
  Rendered copy() {
    return new Rendered(text, objects.stream().map(ObjectNode::deepCopy).toList());
  }

  static String describe(JsonNode object) {
    return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
