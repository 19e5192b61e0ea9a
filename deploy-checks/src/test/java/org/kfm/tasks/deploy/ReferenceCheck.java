package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The Secrets and ConfigMaps the pods read. */
final class ReferenceCheck {
  private ReferenceCheck() {}

  /**
   * Every Secret and ConfigMap the pods read is rendered by the chart or named in values as one the
   * operator provides, with the same key.
   */
  static List<String> problems(Rendered rendered, JsonNode values) {
    Set<String> declared = new TreeSet<>();
    collectDeclared(values, "", declared);
    for (ObjectNode object : rendered.objects()) {
      String kind = object.path("kind").asText();
      if (kind.equals("Secret") || kind.equals("ConfigMap")) {
        String name = object.path("metadata").path("name").asText();
        object
            .path("data")
            .fieldNames()
            .forEachRemaining(key -> declared.add(kind + " " + name + " " + key));
      }
    }
    List<String> problems = new ArrayList<>();
    for (ObjectNode object : rendered.objects()) {
      collectReferences(object, Rendered.describe(object), declared, problems);
    }
    return problems;
  }

  /**
   * Values name an external Secret as {name, keys: {...}} or {name, key} under a field whose name
   * says secret, a ConfigMap as {name, key} under configMap, a TLS Secret as tlsSecretName.
   */
  private static void collectDeclared(JsonNode node, String field, Set<String> declared) {
    if (node.isObject()) {
      String lower = field.toLowerCase();
      String name = node.path("name").asText("");
      if (!name.isEmpty() && (lower.contains("secret") || lower.equals("configmap"))) {
        String kind = lower.equals("configmap") ? "ConfigMap" : "Secret";
        node.path("keys").forEach(key -> declared.add(kind + " " + name + " " + key.asText()));
        if (node.path("key").isTextual()) {
          declared.add(kind + " " + name + " " + node.path("key").asText());
        }
      }
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("tlsSecretName") && !e.getValue().asText().isEmpty()) {
                  declared.add("Secret " + e.getValue().asText() + " *");
                }
                collectDeclared(e.getValue(), e.getKey(), declared);
              });
    } else if (node.isArray()) {
      node.forEach(item -> collectDeclared(item, field, declared));
    }
  }

  private static void collectReferences(
      JsonNode node, String where, Set<String> declared, List<String> problems) {
    if (node.isObject()) {
      refer(node.path("secretKeyRef"), "Secret", where, declared, problems);
      refer(node.path("configMapKeyRef"), "ConfigMap", where, declared, problems);
      if (node.has("secretRef") || node.path("secret").has("secretName")) {
        problems.add(where + ": reads a whole Secret; name its keys instead");
      }
      JsonNode configMap = node.path("configMap");
      if (configMap.has("name")) {
        configMap
            .path("items")
            .forEach(
                item -> {
                  String ref =
                      "ConfigMap "
                          + configMap.path("name").asText()
                          + " "
                          + item.path("key").asText();
                  if (!declared.contains(ref)) {
                    problems.add(where + ": mounts undeclared " + ref);
                  }
                });
        if (configMap.path("items").isEmpty()) {
          problems.add(where + ": mounts all of ConfigMap " + configMap.path("name").asText());
        }
      }
      if (node.has("tls") && node.path("tls").isArray()) {
        node.path("tls")
            .forEach(
                tls -> {
                  String ref = "Secret " + tls.path("secretName").asText() + " *";
                  if (!declared.contains(ref)) {
                    problems.add(where + ": TLS from undeclared " + ref);
                  }
                });
      }
      node.fields()
          .forEachRemaining(e -> collectReferences(e.getValue(), where, declared, problems));
    } else if (node.isArray()) {
      node.forEach(item -> collectReferences(item, where, declared, problems));
    }
  }

  private static void refer(
      JsonNode ref, String kind, String where, Set<String> declared, List<String> problems) {
    if (ref.isMissingNode()) {
      return;
    }
    String key = kind + " " + ref.path("name").asText() + " " + ref.path("key").asText();
    if (!declared.contains(key)) {
      problems.add(where + ": reads undeclared " + key);
    }
  }
}
