package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Who may reach which pod, and where pods may call. */
final class NetworkReachCheck {
  private NetworkReachCheck() {}

  /**
   * The api alone takes traffic from anywhere; every other pod only from named peers, and no egress
   * rule of any pod is open to every destination.
   */
  static List<String> problems(Rendered rendered) {
    List<String> problems = new ArrayList<>();
    List<ObjectNode> policies = rendered.ofKind("NetworkPolicy");
    for (ObjectNode pod : Manifests.allPods(rendered)) {
      String component = Manifests.label(pod, Manifests.COMPONENT_LABEL);
      List<ObjectNode> selecting =
          policies.stream()
              .filter(
                  p ->
                      Manifests.selects(
                          p.path("spec").path("podSelector").path("matchLabels"), pod))
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

  private static boolean hasPolicyType(JsonNode policy, String type) {
    for (JsonNode t : policy.path("spec").path("policyTypes")) {
      if (type.equals(t.asText())) {
        return true;
      }
    }
    return false;
  }
}
