package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading rendered objects (labels, selectors, environment, ports, topics), shared by the checks.
 */
final class Manifests {
  static final String CLASS_LABEL = "kfm-tasks.org/class";
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  private Manifests() {}

  static Map<String, Integer> topicPartitions(Rendered rendered) {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    for (ObjectNode topic : rendered.ofKind("KafkaTopic")) {
      JsonNode spec = topic.path("spec");
      String name = spec.path("topicName").asText(topic.path("metadata").path("name").asText());
      partitions.put(name, spec.path("partitions").asInt());
    }
    return partitions;
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode entry : container.path("env")) {
      if (entry.has("value")) {
        env.put(entry.path("name").asText(), entry.path("value").asText());
      }
    }
    return env;
  }

  static void expect(List<String> problems, String what, String expected, String actual) {
    if (!expected.equals(actual)) {
      problems.add(what + ": expected " + expected + ", rendered " + actual);
    }
  }

  static String label(JsonNode object, String label) {
    return object.path("metadata").path("labels").path(label).asText();
  }

  static Integer resolvePort(JsonNode port, Map<String, Integer> ports) {
    if (port.isInt()) {
      return ports.containsValue(port.asInt()) ? port.asInt() : null;
    }
    return ports.get(port.asText());
  }

  static Duration duration(String text) {
    String value = text.strip();
    if (value.startsWith("P") || value.startsWith("p")) {
      return Duration.parse(value);
    }
    if (value.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    return Duration.parse("PT" + value.toUpperCase());
  }

  /** Pod templates of Deployments and CronJobs, as objects with metadata and spec. */
  static List<ObjectNode> allPods(Rendered rendered) {
    List<ObjectNode> pods = new ArrayList<>();
    for (ObjectNode deployment : rendered.ofKind("Deployment")) {
      pods.add((ObjectNode) deployment.path("spec").path("template"));
    }
    for (ObjectNode cronJob : rendered.ofKind("CronJob")) {
      pods.add((ObjectNode) cronJob.path("spec").path("jobTemplate").path("spec").path("template"));
    }
    return pods;
  }

  static List<ObjectNode> podsSelectedBy(Rendered rendered, JsonNode selector) {
    return allPods(rendered).stream().filter(pod -> selects(selector, pod)).toList();
  }

  static boolean selects(JsonNode matchLabels, JsonNode pod) {
    JsonNode labels = pod.path("metadata").path("labels");
    Iterator<Map.Entry<String, JsonNode>> wanted = matchLabels.fields();
    while (wanted.hasNext()) {
      Map.Entry<String, JsonNode> label = wanted.next();
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
