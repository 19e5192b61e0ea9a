package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The health and metrics endpoints the pods are probed and scraped on. */
final class ProbeCheck {
  private ProbeCheck() {}

  /** Probes, ports and metrics paths exist in the services as configured for their container. */
  static List<String> problems(Rendered rendered, AppConfig api, AppConfig worker) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode deployment : rendered.ofKind("Deployment")) {
      String component =
          Manifests.label(deployment.path("spec").path("template"), Manifests.COMPONENT_LABEL);
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
      Map<String, String> env = Manifests.env(container);
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
            Manifests.expect(
                problems,
                where + ": " + probe + " path",
                app.healthPath(check, env),
                get.path("path").asText());
            Manifests.expect(
                problems,
                where + ": " + probe + " port",
                String.valueOf(port),
                String.valueOf(Manifests.resolvePort(get.path("port"), ports)));
          });
      JsonNode annotations = template.path("metadata").path("annotations");
      if (annotations.has("prometheus.io/scrape")) {
        Manifests.expect(
            problems,
            where + ": scrape path",
            app.metricsPath(env),
            annotations.path("prometheus.io/path").asText());
        Manifests.expect(
            problems,
            where + ": scrape port",
            String.valueOf(port),
            annotations.path("prometheus.io/port").asText());
      } else if (monitorsOf(rendered, template).isEmpty()) {
        problems.add(where + ": neither scrape annotations nor a monitor selects its pods");
      }
      for (JsonNode endpoint : monitorsOf(rendered, template)) {
        Manifests.expect(
            problems,
            where + ": monitor path",
            app.metricsPath(env),
            endpoint.path("path").asText());
        Manifests.expect(
            problems,
            where + ": monitor port",
            String.valueOf(port),
            String.valueOf(Manifests.resolvePort(endpoint.path("port"), ports)));
      }
    }
    for (ObjectNode service : rendered.ofKind("Service")) {
      List<ObjectNode> pods =
          Manifests.podsSelectedBy(rendered, service.path("spec").path("selector"));
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
          if (Manifests.resolvePort(servicePort.path("targetPort"), ports) == null) {
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

  private static List<JsonNode> monitorsOf(Rendered rendered, JsonNode podTemplate) {
    List<JsonNode> endpoints = new ArrayList<>();
    for (ObjectNode monitor : rendered.ofKind("PodMonitor")) {
      if (Manifests.selects(
          monitor.path("spec").path("selector").path("matchLabels"), podTemplate)) {
        monitor.path("spec").path("podMetricsEndpoints").forEach(endpoints::add);
      }
    }
    for (ObjectNode monitor : rendered.ofKind("ServiceMonitor")) {
      for (ObjectNode service : rendered.ofKind("Service")) {
        boolean monitored =
            Manifests.selects(monitor.path("spec").path("selector").path("matchLabels"), service);
        if (monitored && Manifests.selects(service.path("spec").path("selector"), podTemplate)) {
          monitor.path("spec").path("endpoints").forEach(endpoints::add);
        }
      }
    }
    return endpoints;
  }
}
