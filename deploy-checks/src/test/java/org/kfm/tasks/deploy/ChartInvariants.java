package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.DomainEventCatalog;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;
import org.kfm.tasks.contracts.Topics;

/**
 * What a typo in the chart would break, each check comparing the rendered objects with the source
 * of truth: the values they were rendered from, the services' application.properties and
 * task-contracts. Each returns the problems it found; none is a pass.
 */
final class ChartInvariants {
  private static final String CLASS_LABEL = "kfm-tasks.org/class";
  private static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  private ChartInvariants() {}

  /**
   * Each worker class in values has a Deployment serving only that class and a ScaledObject on the
   * topic and consumer group the worker's channel of that class uses.
   */
  static List<String> workerClasses(Rendered rendered, JsonNode values, AppConfig worker) {
    List<String> problems = new ArrayList<>();
    JsonNode classes = values.path("workers").path("classes");
    Set<String> declared = new TreeSet<>();
    classes.fieldNames().forEachRemaining(declared::add);

    Set<String> deployed = classesOf(rendered.ofKind("Deployment"));
    Set<String> scaled = classesOf(rendered.ofKind("ScaledObject"));
    if (!deployed.equals(declared)) {
      problems.add("worker Deployments for " + deployed + ", values declare " + declared);
    }
    if (!scaled.equals(declared)) {
      problems.add("ScaledObjects for " + scaled + ", values declare " + declared);
    }
    Map<String, Integer> partitions = topicPartitions(rendered);

    for (String name : declared) {
      JsonNode wanted = classes.path(name);
      Optional<ObjectNode> deployment = ofClass(rendered.ofKind("Deployment"), name);
      Optional<ObjectNode> scaledObject = ofClass(rendered.ofKind("ScaledObject"), name);
      if (deployment.isEmpty() || scaledObject.isEmpty()) {
        continue;
      }
      String where = "class " + name;
      String topic = worker.raw("mp.messaging.incoming." + name + ".topic");
      String group = worker.raw("mp.messaging.incoming." + name + ".group.id");
      if (topic == null || group == null) {
        problems.add(where + ": worker-service has no channel " + name);
        continue;
      }

      JsonNode spec = scaledObject.get().path("spec");
      String target = spec.path("scaleTargetRef").path("name").asText();
      String deploymentName = deployment.get().path("metadata").path("name").asText();
      if (!target.equals(deploymentName)) {
        problems.add(where + ": ScaledObject scales " + target + ", not " + deploymentName);
      }
      JsonNode trigger = spec.path("triggers").path(0);
      JsonNode metadata = trigger.path("metadata");
      expect(problems, where + ": trigger type", "kafka", trigger.path("type").asText());
      expect(problems, where + ": scaler topic", topic, metadata.path("topic").asText());
      expect(
          problems,
          where + ": scaler consumerGroup",
          group,
          metadata.path("consumerGroup").asText());
      expect(
          problems,
          where + ": lagThreshold",
          wanted.path("lagThreshold").asText(),
          metadata.path("lagThreshold").asText());
      expect(
          problems,
          where + ": minReplicaCount",
          wanted.path("minReplicas").asText(),
          spec.path("minReplicaCount").asText());
      expect(
          problems,
          where + ": maxReplicaCount",
          wanted.path("maxReplicas").asText(),
          spec.path("maxReplicaCount").asText());
      expect(
          problems,
          where + ": pollingInterval",
          values.path("workers").path("pollingIntervalSeconds").asText(),
          spec.path("pollingInterval").asText());
      expect(
          problems,
          where + ": cooldownPeriod",
          values.path("workers").path("cooldownPeriodSeconds").asText(),
          spec.path("cooldownPeriod").asText());
      int max = spec.path("maxReplicaCount").asInt();
      Integer topicPartitions = partitions.get(topic);
      if (!partitions.isEmpty() && topicPartitions == null) {
        problems.add(where + ": no KafkaTopic " + topic);
      } else if (topicPartitions != null && max > topicPartitions) {
        problems.add(
            where + ": maxReplicaCount " + max + " above the " + topicPartitions + " partitions");
      }

      JsonNode pod = deployment.get().path("spec").path("template").path("spec");
      Map<String, String> env = env(pod.path("containers").path(0));
      for (ConcurrencyClass other : ConcurrencyClass.values()) {
        String enabled =
            worker.effective("mp.messaging.incoming." + other.wireName() + ".enabled", env, "true");
        String expected = String.valueOf(other.wireName().equals(name));
        expect(problems, where + ": consumes " + other.wireName(), expected, enabled);
      }
      expect(
          problems,
          where + ": pool size",
          wanted.path("concurrency").asText(),
          worker.effective("smallrye.messaging.worker." + name + ".max-concurrency", env, ""));

      Duration drain = duration(worker.effective("kfm.worker.shutdown-grace", env, "20s"));
      Duration shutdown = duration(worker.effective("quarkus.shutdown.timeout", env, "0s"));
      long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
      if (drain.toSeconds() != wanted.path("drainSeconds").asLong()) {
        problems.add(
            where + ": drains for " + drain + ", values say " + wanted.path("drainSeconds"));
      }
      if (shutdown.compareTo(drain) <= 0) {
        problems.add(where + ": shutdown timeout " + shutdown + " not above drain " + drain);
      }
      if (grace <= shutdown.toSeconds()) {
        problems.add(
            where + ": terminationGracePeriodSeconds " + grace + " not above shutdown " + shutdown);
      }
    }
    return problems;
  }

  /** Probes, ports and metrics paths exist in the services as configured for their container. */
  static List<String> probesAndPorts(Rendered rendered, AppConfig api, AppConfig worker) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode deployment : rendered.ofKind("Deployment")) {
      String component = label(deployment.path("spec").path("template"), COMPONENT_LABEL);
      AppConfig app =
          switch (component) {
            case "api" -> api;
            case "worker" -> worker;
            default -> null;
          };
      String where = Rendered.describe(deployment);
      if (app == null) {
        problems.add(where + ": unknown component " + component);
        continue;
      }
      JsonNode template = deployment.path("spec").path("template");
      JsonNode container = template.path("spec").path("containers").path(0);
      Map<String, String> env = env(container);
      int port = app.httpPort(env);
      Map<String, Integer> ports = new LinkedHashMap<>();
      container
          .path("ports")
          .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
      if (!ports.containsValue(port)) {
        problems.add(
            where + ": the service listens on " + port + ", the container declares " + ports);
      }
      Map<String, String> probes =
          Map.of("startupProbe", "started", "livenessProbe", "live", "readinessProbe", "ready");
      probes.forEach(
          (probe, check) -> {
            JsonNode get = container.path(probe).path("httpGet");
            if (get.isMissingNode()) {
              problems.add(where + ": no " + probe);
              return;
            }
            expect(
                problems,
                where + ": " + probe + " path",
                app.healthPath(check, env),
                get.path("path").asText());
            expect(
                problems,
                where + ": " + probe + " port",
                String.valueOf(port),
                String.valueOf(resolvePort(get.path("port"), ports)));
          });
      JsonNode annotations = template.path("metadata").path("annotations");
      if (annotations.has("prometheus.io/scrape")) {
        expect(
            problems,
            where + ": scrape path",
            app.metricsPath(env),
            annotations.path("prometheus.io/path").asText());
        expect(
            problems,
            where + ": scrape port",
            String.valueOf(port),
            annotations.path("prometheus.io/port").asText());
      } else if (monitorsOf(rendered, template).isEmpty()) {
        problems.add(where + ": neither scrape annotations nor a monitor selects its pods");
      }
      for (JsonNode endpoint : monitorsOf(rendered, template)) {
        expect(
            problems,
            where + ": monitor path",
            app.metricsPath(env),
            endpoint.path("path").asText());
        expect(
            problems,
            where + ": monitor port",
            String.valueOf(port),
            String.valueOf(resolvePort(endpoint.path("port"), ports)));
      }
    }
    for (ObjectNode service : rendered.ofKind("Service")) {
      List<ObjectNode> pods = podsSelectedBy(rendered, service.path("spec").path("selector"));
      if (pods.isEmpty()) {
        problems.add(Rendered.describe(service) + ": selects no pods");
      }
      for (JsonNode servicePort : service.path("spec").path("ports")) {
        for (ObjectNode pod : pods) {
          Map<String, Integer> ports = new LinkedHashMap<>();
          pod.path("spec")
              .path("containers")
              .path(0)
              .path("ports")
              .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
          if (resolvePort(servicePort.path("targetPort"), ports) == null) {
            problems.add(
                Rendered.describe(service)
                    + ": targetPort "
                    + servicePort.path("targetPort")
                    + " is not a container port");
          }
        }
      }
    }
    return problems;
  }

  /**
   * Every Secret and ConfigMap the pods read is rendered by the chart or named in values as one the
   * operator provides, with the same key.
   */
  static List<String> references(Rendered rendered, JsonNode values) {
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
   * Every topic a service reads or writes exists as a KafkaTopic: the channels of both
   * application.properties, the class, status, control and domain-event topics of task-contracts,
   * and the dead-letter topic of each topic a consumer parks records from.
   */
  static List<String> topics(
      Rendered rendered, AppConfig api, AppConfig worker, TaskCatalog catalog) {
    Set<String> renderedTopics = topicPartitions(rendered).keySet();
    Set<String> used = new TreeSet<>();
    used.addAll(api.configuredTopics());
    used.addAll(worker.configuredTopics());
    used.add(Topics.JOB_EVENTS);
    used.add(Topics.JOB_CONTROL);
    Set<String> parkedFrom = new TreeSet<>();
    parkedFrom.add(Topics.JOB_EVENTS);
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      used.add(c.topic());
      parkedFrom.add(c.topic());
    }
    DomainEventCatalog events = catalog.events();
    for (DomainEventCatalog.Entry entry : events.all()) {
      parkedFrom.add(entry.type().topic());
    }
    for (TaskCatalog.Entry entry : catalog.all()) {
      TaskSpec spec = entry.spec();
      parkedFrom.addAll(spec.eventTopics());
    }
    for (String topic : api.configuredTopics()) {
      if (topic.startsWith(Topics.DOMAIN_EVENTS_PREFIX)) {
        parkedFrom.add(topic);
      }
    }
    used.addAll(parkedFrom);
    parkedFrom.forEach(topic -> used.add(Topics.deadLetterOf(topic)));

    List<String> problems = new ArrayList<>();
    if (renderedTopics.isEmpty()) {
      problems.add("no KafkaTopic rendered");
    }
    for (String topic : used) {
      if (!renderedTopics.contains(topic)) {
        problems.add("topic " + topic + " is used but has no KafkaTopic");
      }
    }
    for (String pattern : api.channelTopicPatterns()) {
      Pattern regex = Pattern.compile(pattern);
      if (renderedTopics.stream().noneMatch(t -> regex.matcher(t).matches())) {
        problems.add("no KafkaTopic matches the subscription " + pattern);
      }
    }
    return problems;
  }

  /**
   * The api alone takes traffic from anywhere; every other pod only from named peers, and no egress
   * rule of any pod is open to every destination.
   */
  static List<String> networkPolicies(Rendered rendered) {
    List<String> problems = new ArrayList<>();
    List<ObjectNode> policies = rendered.ofKind("NetworkPolicy");
    for (ObjectNode pod : allPods(rendered)) {
      String component = label(pod, COMPONENT_LABEL);
      List<ObjectNode> selecting =
          policies.stream()
              .filter(p -> selects(p.path("spec").path("podSelector").path("matchLabels"), pod))
              .toList();
      boolean ingressGoverned = selecting.stream().anyMatch(p -> hasPolicyType(p, "Ingress"));
      boolean egressGoverned = selecting.stream().anyMatch(p -> hasPolicyType(p, "Egress"));
      if (!ingressGoverned || !egressGoverned) {
        problems.add(component + " pods: not covered by a policy for both ingress and egress");
      }
      for (ObjectNode policy : selecting) {
        String where = Rendered.describe(policy) + " on " + component;
        for (JsonNode rule : policy.path("spec").path("ingress")) {
          if (!component.equals("api") && rule.path("from").isEmpty()) {
            problems.add(where + ": ingress from anywhere");
          }
          if (rule.path("ports").isEmpty()) {
            problems.add(where + ": ingress on every port");
          }
        }
        for (JsonNode rule : policy.path("spec").path("egress")) {
          if (rule.path("to").isEmpty()) {
            problems.add(where + ": egress to anywhere");
          }
        }
      }
    }
    return problems;
  }

  /** Each chore CronJob submits a task the catalogue has. */
  static List<String> chores(Rendered rendered, TaskCatalog catalog) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode cronJob : rendered.ofKind("CronJob")) {
      JsonNode container =
          cronJob
              .path("spec")
              .path("jobTemplate")
              .path("spec")
              .path("template")
              .path("spec")
              .path("containers")
              .path(0);
      String job = env(container).get("KFM_JOB");
      try {
        String task = Chart.YAML.readTree(job).path("task").asText();
        if (catalog.find(task).isEmpty()) {
          problems.add(Rendered.describe(cronJob) + ": no task " + task + " in the catalogue");
        }
      } catch (Exception e) {
        problems.add(Rendered.describe(cronJob) + ": KFM_JOB is not JSON: " + job);
      }
    }
    return problems;
  }

  // --- helpers ----------------------------------------------------------------------------------

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

  private static void expect(List<String> problems, String what, String expected, String actual) {
    if (!expected.equals(actual)) {
      problems.add(what + ": expected " + expected + ", rendered " + actual);
    }
  }

  private static Set<String> classesOf(List<ObjectNode> objects) {
    Set<String> classes = new TreeSet<>();
    for (ObjectNode object : objects) {
      if ("worker".equals(label(object, COMPONENT_LABEL))) {
        classes.add(label(object, CLASS_LABEL));
      }
    }
    return classes;
  }

  private static Optional<ObjectNode> ofClass(List<ObjectNode> objects, String name) {
    return objects.stream().filter(o -> name.equals(label(o, CLASS_LABEL))).findFirst();
  }

  private static String label(JsonNode object, String label) {
    return object.path("metadata").path("labels").path(label).asText();
  }

  private static Integer resolvePort(JsonNode port, Map<String, Integer> ports) {
    if (port.isInt()) {
      return ports.containsValue(port.asInt()) ? port.asInt() : null;
    }
    return ports.get(port.asText());
  }

  private static Duration duration(String text) {
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
  private static List<ObjectNode> allPods(Rendered rendered) {
    List<ObjectNode> pods = new ArrayList<>();
    for (ObjectNode deployment : rendered.ofKind("Deployment")) {
      pods.add((ObjectNode) deployment.path("spec").path("template"));
    }
    for (ObjectNode cronJob : rendered.ofKind("CronJob")) {
      pods.add((ObjectNode) cronJob.path("spec").path("jobTemplate").path("spec").path("template"));
    }
    return pods;
  }

  private static List<ObjectNode> podsSelectedBy(Rendered rendered, JsonNode selector) {
    return allPods(rendered).stream().filter(pod -> selects(selector, pod)).toList();
  }

  private static boolean selects(JsonNode matchLabels, JsonNode pod) {
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

  private static List<JsonNode> monitorsOf(Rendered rendered, JsonNode podTemplate) {
    List<JsonNode> endpoints = new ArrayList<>();
    for (ObjectNode monitor : rendered.ofKind("PodMonitor")) {
      if (selects(monitor.path("spec").path("selector").path("matchLabels"), podTemplate)) {
        monitor.path("spec").path("podMetricsEndpoints").forEach(endpoints::add);
      }
    }
    for (ObjectNode monitor : rendered.ofKind("ServiceMonitor")) {
      for (ObjectNode service : rendered.ofKind("Service")) {
        boolean monitored =
            selects(monitor.path("spec").path("selector").path("matchLabels"), service);
        if (monitored && selects(service.path("spec").path("selector"), podTemplate)) {
          monitor.path("spec").path("endpoints").forEach(endpoints::add);
        }
      }
    }
    return endpoints;
  }

  private static boolean hasPolicyType(JsonNode policy, String type) {
    for (JsonNode t : policy.path("spec").path("policyTypes")) {
      if (type.equals(t.asText())) {
        return true;
      }
    }
    return false;
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
