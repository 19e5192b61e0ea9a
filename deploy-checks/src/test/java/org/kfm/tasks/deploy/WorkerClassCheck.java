package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.kfm.tasks.contracts.ConcurrencyClass;

/** A worker class declared in values, as rendered: its Deployment and ScaledObject. */
final class WorkerClassCheck {
  private WorkerClassCheck() {}

  /**
   * Each worker class in values has a Deployment serving only that class and a ScaledObject on the
   * topic and consumer group the worker's channel of that class uses.
   */
  static List<String> problems(Rendered rendered, JsonNode values, AppConfig worker) {
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
    Map<String, Integer> partitions = Manifests.topicPartitions(rendered);

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
      Manifests.expect(problems, where + ": trigger type", "kafka", trigger.path("type").asText());
      Manifests.expect(problems, where + ": scaler topic", topic, metadata.path("topic").asText());
      Manifests.expect(
          problems,
          where + ": scaler consumerGroup",
          group,
          metadata.path("consumerGroup").asText());
      Manifests.expect(
          problems,
          where + ": lagThreshold",
          wanted.path("lagThreshold").asText(),
          metadata.path("lagThreshold").asText());
      Manifests.expect(
          problems,
          where + ": minReplicaCount",
          wanted.path("minReplicas").asText(),
          spec.path("minReplicaCount").asText());
      Manifests.expect(
          problems,
          where + ": maxReplicaCount",
          wanted.path("maxReplicas").asText(),
          spec.path("maxReplicaCount").asText());
      Manifests.expect(
          problems,
          where + ": pollingInterval",
          values.path("workers").path("pollingIntervalSeconds").asText(),
          spec.path("pollingInterval").asText());
      Manifests.expect(
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
      Map<String, String> env = Manifests.env(pod.path("containers").path(0));
      for (ConcurrencyClass other : ConcurrencyClass.values()) {
        String enabled =
            worker.effective("mp.messaging.incoming." + other.wireName() + ".enabled", env, "true");
        String expected = String.valueOf(other.wireName().equals(name));
        Manifests.expect(problems, where + ": consumes " + other.wireName(), expected, enabled);
      }
      Manifests.expect(
          problems,
          where + ": pool size",
          wanted.path("concurrency").asText(),
          worker.effective("smallrye.messaging.worker." + name + ".max-concurrency", env, ""));

      Duration drain =
          Manifests.duration(worker.effective("kfm.worker.shutdown-grace", env, "20s"));
      Duration shutdown =
          Manifests.duration(worker.effective("quarkus.shutdown.timeout", env, "0s"));
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

  private static Set<String> classesOf(List<ObjectNode> objects) {
    Set<String> classes = new TreeSet<>();
    for (ObjectNode object : objects) {
      if ("worker".equals(Manifests.label(object, Manifests.COMPONENT_LABEL))) {
        classes.add(Manifests.label(object, Manifests.CLASS_LABEL));
      }
    }
    return classes;
  }

  private static Optional<ObjectNode> ofClass(List<ObjectNode> objects, String name) {
    return objects.stream()
        .filter(o -> name.equals(Manifests.label(o, Manifests.CLASS_LABEL)))
        .findFirst();
  }
}
