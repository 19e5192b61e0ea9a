package org.kfm.tasks.api.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.kfm.tasks.contracts.DomainEventCatalog;
import org.kfm.tasks.contracts.FieldError;

/**
 * The checks {@code POST /api/v1/events} makes before publishing: the CloudEvents 1.0 attributes a
 * structured JSON event must carry, a known type, and data its type's schema accepts. Each problem
 * is named by JSON Pointer into the body.
 */
final class EventEnvelope {
  private EventEnvelope() {}

  static List<FieldError> problems(JsonNode body, DomainEventCatalog events) {
    List<FieldError> problems = new ArrayList<>();
    if (body == null || !body.isObject()) {
      problems.add(new FieldError("", "a CloudEvent in structured JSON (an object) is required"));
      return problems;
    }
    if (!"1.0".equals(body.path("specversion").asText(null))) {
      problems.add(new FieldError("/specversion", "must be \"1.0\""));
    }
    requireText(body, "id", 256, problems);
    requireText(body, "source", 1024, problems);
    if (body.path("source").isTextual()) {
      try {
        new URI(body.get("source").asText());
      } catch (URISyntaxException e) {
        problems.add(new FieldError("/source", "must be a URI-reference"));
      }
    }
    requireText(body, "type", 200, problems);
    JsonNode contentType = body.path("datacontenttype");
    if (!contentType.isMissingNode() && !contentType.asText().startsWith("application/json")) {
      problems.add(new FieldError("/datacontenttype", "only application/json data is accepted"));
    }
    if (body.has("data_base64")) {
      problems.add(
          new FieldError("/data_base64", "binary data is not accepted; send data as JSON"));
    }
    if (body.has(DomainEvents.PRODUCER)) {
      problems.add(
          new FieldError(
              "/" + DomainEvents.PRODUCER, "is set by the api to the authenticated producer"));
    }
    String type = body.path("type").asText("");
    if (!type.isEmpty()) {
      var known = events.find(type);
      if (known.isEmpty()) {
        problems.add(new FieldError("/type", "unknown event type " + type));
      } else {
        JsonNode data = body.path("data");
        if (!data.isObject()) {
          problems.add(new FieldError("/data", "an object is required"));
        } else {
          problems.addAll(known.get().dataValidator().validate(data));
        }
      }
    }
    return problems;
  }

  /** The accepted event as it is published: with its producer, and its content type stated. */
  static ObjectNode stamped(JsonNode body, String producer) {
    ObjectNode event = body.deepCopy();
    event.put("datacontenttype", "application/json");
    event.put(DomainEvents.PRODUCER, producer);
    return event;
  }

  private static void requireText(
      JsonNode body, String field, int maxLength, List<FieldError> problems) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(new FieldError("/" + field, "a non-empty string is required"));
    } else if (value.asText().length() > maxLength) {
      problems.add(new FieldError("/" + field, "at most " + maxLength + " characters"));
    }
  }
}
