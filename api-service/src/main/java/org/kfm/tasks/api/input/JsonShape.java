package org.kfm.tasks.api.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.kfm.tasks.contracts.FieldError;

/**
 * Checks free-form JSON against {@link InputLimits} without recursion (a deep document must not
 * exhaust the stack), naming the first member that breaks a limit by its JSON pointer.
 */
public final class JsonShape {
  private final int maxDepth;
  private final int maxNodes;
  private final int maxStringLength;

  public JsonShape(InputLimits limits) {
    this(limits.maxDepth(), limits.maxNodes(), limits.maxStringLength());
  }

  public JsonShape(int maxDepth, int maxNodes, int maxStringLength) {
    this.maxDepth = maxDepth;
    this.maxNodes = maxNodes;
    this.maxStringLength = maxStringLength;
  }

  private record Visit(String pointer, JsonNode node, int depth) {}

  /**
   * @param root where {@code node} sits in the request, such as {@code /params}
   * @return the first member over a limit, if any
   */
  public Optional<FieldError> check(String root, JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    Deque<Visit> pending = new ArrayDeque<>();
    pending.push(new Visit(root, node, 0));
    int seen = 0;
    while (!pending.isEmpty()) {
      Visit visit = pending.pop();
      if (++seen > maxNodes) {
        return Optional.of(
            new FieldError(root, "holds more than " + maxNodes + " values; send less per job"));
      }
      JsonNode current = visit.node();
      if (current.isTextual() && current.textValue().length() > maxStringLength) {
        return Optional.of(
            new FieldError(visit.pointer(), "is longer than " + maxStringLength + " characters"));
      }
      if (!current.isContainerNode() || current.isEmpty()) {
        continue;
      }
      if (visit.depth() >= maxDepth) {
        return Optional.of(
            new FieldError(visit.pointer(), "nests deeper than " + maxDepth + " levels"));
      }
      if (current.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = current.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> member = it.next();
          if (member.getKey().length() > maxStringLength) {
            return Optional.of(
                new FieldError(
                    visit.pointer(),
                    "has a member name longer than " + maxStringLength + " characters"));
          }
          pending.push(
              new Visit(
                  visit.pointer() + "/" + escaped(member.getKey()),
                  member.getValue(),
                  visit.depth() + 1));
        }
      } else {
        for (int i = 0; i < current.size(); i++) {
          pending.push(new Visit(visit.pointer() + "/" + i, current.get(i), visit.depth() + 1));
        }
      }
    }
    return Optional.empty();
  }

  /** RFC 6901: {@code ~} and {@code /} inside a member name. */
  private static String escaped(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
