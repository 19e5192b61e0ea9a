package org.kfm.tasks.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.Wire;

/**
 * Builds a params object from {@code key=value} pairs; dotted keys nest, values are JSON if they
 * parse.
 */
public final class Params {
  private Params() {}

  public static ObjectNode of(List<String> pairs) {
    ObjectNode params = Wire.mapper().createObjectNode();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--param expects key=value, got " + pair);
      }
      String[] path = pair.substring(0, eq).split("\\.");
      ObjectNode target = params;
      for (int i = 0; i < path.length - 1; i++) {
        JsonNode child = target.get(path[i]);
        target = child instanceof ObjectNode object ? object : target.putObject(path[i]);
      }
      target.set(path[path.length - 1], value(pair.substring(eq + 1)));
    }
    return params;
  }

  /** The text as JSON if it parses, else as a string. */
  public static JsonNode value(String text) {
    try {
      return Wire.fromJson(text, JsonNode.class);
    } catch (MalformedRecordException e) {
      return TextNode.valueOf(text);
    }
  }
}
