package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A task's parameters made from an event's {@code data} by the spec's {@code event_params}: a
 * string starting with {@code /} is a JSON Pointer into the data (the value found there, of any
 * type); any other value is taken as written. A pointer that finds nothing leaves its parameter
 * out, so optional event fields map to optional parameters; the task's input schema decides whether
 * the result is acceptable.
 */
public final class EventParams {
  private EventParams() {}

  public static ObjectNode map(Map<String, JsonNode> mapping, JsonNode data) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> entry : mapping.entrySet()) {
      JsonNode value = valueOf(entry.getValue(), data);
      if (value != null) {
        params.set(entry.getKey(), value);
      }
    }
    return params;
  }

  private static JsonNode valueOf(JsonNode rule, JsonNode data) {
    if (rule.isTextual() && rule.asText().startsWith("/")) {
      JsonNode found = data == null ? null : data.at(rule.asText());
      return found == null || found.isMissingNode() || found.isNull() ? null : found.deepCopy();
    }
    if (rule.isObject()) {
      ObjectNode mapped = JsonNodeFactory.instance.objectNode();
      rule.properties()
          .forEach(
              field -> {
                JsonNode value = valueOf(field.getValue(), data);
                if (value != null) {
                  mapped.set(field.getKey(), value);
                }
              });
      return mapped;
    }
    return rule.deepCopy();
  }
}
