package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Misspelled fields. The JSON schemas allow unknown fields, and so does the API server (it drops
 * them): a typo such as "readinesProbe" would ship a pod without a readiness probe. fabric8's typed
 * models keep every field they do not know in additionalProperties; any entry there is a field
 * Kubernetes does not have.
 */
final class StrictFields {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Map<String, Class<?>> MODELS =
      Map.of(
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "apps/v1/Deployment", Deployment.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "networking.k8s.io/v1/Ingress", Ingress.class,
          "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
          "batch/v1/CronJob", CronJob.class);

  /**
   * Custom resources without a fabric8 model: KafkaTopic's schema refuses unknown fields itself,
   * and the fields the chart sets on the monitors and ScaledObjects are compared with their values
   * by the invariant checks; the PrometheusRule's groups are promtool's checked file, kept equal by
   * AlertRulesInChartTest.
   */
  private static final Set<String> CHECKED_ELSEWHERE =
      Set.of(
          "kafka.strimzi.io/v1beta2/KafkaTopic",
          "keda.sh/v1alpha1/ScaledObject",
          "monitoring.coreos.com/v1/ServiceMonitor",
          "monitoring.coreos.com/v1/PodMonitor",
          "monitoring.coreos.com/v1/PrometheusRule");

  private StrictFields() {}

  static List<String> problems(List<? extends JsonNode> objects) {
    List<String> problems = new ArrayList<>();
    for (JsonNode object : objects) {
      String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
      Class<?> model = MODELS.get(type);
      if (model == null) {
        if (!CHECKED_ELSEWHERE.contains(type)) {
          problems.add(Rendered.describe(object) + ": no typed model for " + type);
        }
        continue;
      }
      walk(JSON.convertValue(object, model), Rendered.describe(object), problems);
    }
    return problems;
  }

  private static void walk(Object value, String path, List<String> problems) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, path + "." + key, problems));
      return;
    }
    if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (!isGetter(getter)) {
        continue;
      }
      Object field = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
          problems.add(path + ": unknown field(s) " + unknown.keySet());
        }
      } else {
        walk(field, path + "." + propertyName(getter), problems);
      }
    }
  }

  private static boolean isGetter(Method method) {
    return method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && method.getName().startsWith("get")
        && !method.getName().equals("getClass")
        && method.getDeclaringClass().getName().startsWith("io.fabric8.");
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter.toString(), e);
    }
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
