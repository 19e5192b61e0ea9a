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
      JsonNode rule = entry.getValue();
      if (rule.isTextual() && rule.asText().startsWith("/")) {
        JsonNode found = data == null ? null : data.at(rule.asText());
        if (found != null && !found.isMissingNode() && !found.isNull()) {
          params.set(entry.getKey(), found.deepCopy());
        }
      } else {
        params.set(entry.getKey(), rule.deepCopy());
      }
    }
    return params;
  }
}
