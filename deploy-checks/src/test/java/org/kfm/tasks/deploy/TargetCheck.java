package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** What autoscalers, disruption budgets and the Ingress point at exists in the same render. */
final class TargetCheck {
  private TargetCheck() {}

  /**
   * An HPA on a Deployment the chart does not render scales nothing; a PodDisruptionBudget whose
   * selector matches no pod protects nothing; an Ingress to a missing Service or port answers 503.
   */
  static List<String> problems(Rendered rendered) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
      JsonNode target = hpa.path("spec").path("scaleTargetRef");
      if (!target.path("kind").asText().equals("Deployment")
          || rendered.find("Deployment", target.path("name").asText()).isEmpty()) {
        problems.add(Rendered.describe(hpa) + ": scales a missing " + target);
      }
    }
    for (ObjectNode budget : rendered.ofKind("PodDisruptionBudget")) {
      JsonNode selector = budget.path("spec").path("selector").path("matchLabels");
      if (Manifests.podsSelectedBy(rendered, selector).isEmpty()) {
        problems.add(Rendered.describe(budget) + ": selects no pods");
      }
    }
    for (ObjectNode ingress : rendered.ofKind("Ingress")) {
      for (JsonNode rule : ingress.path("spec").path("rules")) {
        for (JsonNode path : rule.path("http").path("paths")) {
          JsonNode service = path.path("backend").path("service");
          String name = service.path("name").asText();
          String port = service.path("port").path("name").asText();
          boolean served = false;
          for (ObjectNode candidate : rendered.find("Service", name).stream().toList()) {
            for (JsonNode servicePort : candidate.path("spec").path("ports")) {
              served |= servicePort.path("name").asText().equals(port);
            }
          }
          if (!served) {
            problems.add(
                Rendered.describe(ingress) + ": no Service " + name + " with port " + port);
          }
        }
      }
    }
    return problems;
  }
}
