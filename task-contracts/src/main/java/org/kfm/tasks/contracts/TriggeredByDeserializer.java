package org.kfm.tasks.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code triggered_by} in any of the spellings a spec author may copy:
 *
 * <ul>
 *   <li>a list of strings, each an HTTP route ({@code "POST /api/simulation/run"}) or an event type
 *       ({@code imagery.arrived}, {@code "event: imagery.arrived"} or the full topic {@code
 *       kfm.events.imagery.arrived});
 *   <li>a list of single-key maps, {@code {http: "POST /x"}} or {@code {event: imagery.arrived}};
 *   <li>a map {@code {http: <string or list>, events: <string or list>}}.
 * </ul>
 *
 * A single string stands for a list of one. Only the shape is checked here; the loader checks
 * methods, paths and event types and names each problem.
 */
final class TriggeredByDeserializer extends StdDeserializer<TaskSpec.TriggeredBy> {
  private static final String FIELD = "triggered_by";
  private static final Set<String> HTTP_KEYS = Set.of("http", "route", "routes");
  private static final Set<String> EVENT_KEYS = Set.of("event", "events");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final Pattern PREFIXED = Pattern.compile("^([A-Za-z]+)\\s*:\\s*(.*)$");

  TriggeredByDeserializer() {
    super(TaskSpec.TriggeredBy.class);
  }

  @Override
  public TaskSpec.TriggeredBy deserialize(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    JsonNode node = ctxt.readTree(p);
    List<TaskSpec.HttpRoute> http = new ArrayList<>();
    List<String> events = new ArrayList<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        addKeyed(entry.getKey(), entry.getValue(), FIELD, http, events, ctxt);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        addEntry(node.get(i), FIELD + "[" + i + "]", http, events, ctxt);
      }
    } else if (node.isTextual()) {
      addEntry(node, FIELD, http, events, ctxt);
    } else if (!node.isNull() && !node.isMissingNode()) {
      fail(
          ctxt,
          FIELD
              + " must be a list of HTTP routes and event types, or a map with keys"
              + " http and events");
    }
    return new TaskSpec.TriggeredBy(http, events);
  }

  private void addEntry(
      JsonNode entry,
      String where,
      List<TaskSpec.HttpRoute> http,
      List<String> events,
      DeserializationContext ctxt)
      throws IOException {
    if (entry.isTextual()) {
      addText(entry.asText(), where, http, events, ctxt);
    } else if (entry.isObject() && entry.size() == 1) {
      Map.Entry<String, JsonNode> only = entry.properties().iterator().next();
      addKeyed(only.getKey(), only.getValue(), where, http, events, ctxt);
    } else {
      fail(
          ctxt,
          where
              + " must be a string (\"POST /path\" or an event type) or a map with one key,"
              + " http or event; got "
              + describe(entry));
    }
  }

  private void addKeyed(
      String key,
      JsonNode value,
      String where,
      List<TaskSpec.HttpRoute> http,
      List<String> events,
      DeserializationContext ctxt)
      throws IOException {
    String normalized = key.strip().toLowerCase(Locale.ROOT);
    boolean isHttp = HTTP_KEYS.contains(normalized);
    if (!isHttp && !EVENT_KEYS.contains(normalized)) {
      fail(ctxt, where + ": unknown key " + key + " (expected http or events)");
    }
    String at = where + "." + key;
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String itemAt = value.isArray() ? at + "[" + i + "]" : at;
      if (!item.isTextual()) {
        fail(ctxt, itemAt + " must be a string, got " + describe(item));
      }
      if (isHttp) {
        http.add(TaskSpec.HttpRoute.parse(item.asText()));
      } else {
        events.add(eventType(item.asText()));
      }
    }
  }

  private void addText(
      String text,
      String where,
      List<TaskSpec.HttpRoute> http,
      List<String> events,
      DeserializationContext ctxt)
      throws IOException {
    String stripped = text.strip();
    Matcher prefixed = PREFIXED.matcher(stripped);
    if (prefixed.matches()) {
      // "http: POST /x" or "event: imagery.arrived", written as one string.
      String key = prefixed.group(1).toLowerCase(Locale.ROOT);
      if (HTTP_KEYS.contains(key)) {
        http.add(TaskSpec.HttpRoute.parse(prefixed.group(2)));
      } else if (EVENT_KEYS.contains(key)) {
        events.add(eventType(prefixed.group(2)));
      } else {
        fail(ctxt, where + ": unknown key " + prefixed.group(1) + " (expected http or event)");
      }
    } else if (looksLikeRoute(stripped)) {
      http.add(TaskSpec.HttpRoute.parse(stripped));
    } else {
      events.add(eventType(stripped));
    }
  }

  /** A path, or a known HTTP method or any word followed by a path. */
  private static boolean looksLikeRoute(String text) {
    if (text.startsWith("/")) {
      return true;
    }
    String[] parts = text.split("\\s+", 2);
    return parts.length == 2
        && (METHODS.contains(parts[0].toUpperCase(Locale.ROOT)) || parts[1].startsWith("/"));
  }

  /** An event type without the topic prefix. */
  private static String eventType(String text) {
    String stripped = text.strip();
    return stripped.startsWith(Topics.DOMAIN_EVENTS_PREFIX)
        ? stripped.substring(Topics.DOMAIN_EVENTS_PREFIX.length())
        : stripped;
  }

  private static String describe(JsonNode node) {
    if (node.isObject()) {
      return node.isEmpty() ? "an empty map" : "a map with keys " + iterableKeys(node);
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull()) {
      return "nothing (null)";
    }
    return node.isNumber()
        ? "the number " + node
        : node.isBoolean() ? "a boolean" : node.toString();
  }

  private static String iterableKeys(JsonNode node) {
    return String.join(", ", node.properties().stream().map(Map.Entry::getKey).toList());
  }

  private static void fail(DeserializationContext ctxt, String message) throws IOException {
    ctxt.reportInputMismatch(TaskSpec.TriggeredBy.class, message);
  }
}
