package org.kfm.tasks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus Operator gets the alert rules promtool checks, and the job names their queries
 * select are the ones the chart's monitors give the scraped series.
 */
class AlertRulesInChartTest {
  private static final Pattern JOB = Pattern.compile("job=\"([a-z-]+)\"");

  @Test
  void theChartsCopyOfTheAlertRulesIsTheCheckedOne() throws IOException {
    assertThat(Files.readString(Repo.CHART.resolve("files/kfm-alerts.yml")))
        .as("deploy/helm/kfm-tasks/files/kfm-alerts.yml: copy deploy/observability's file again")
        .isEqualTo(
            Files.readString(Repo.ROOT.resolve("deploy/observability/prometheus/kfm-alerts.yml")));
  }

  @Test
  void withMonitorsTheRulesRenderAndTheirJobNamesAreTheMonitorsOnes() {
    Rendered rendered = Chart.render(List.of(), Map.of("metrics.monitors", "always"));

    JsonNode rule = rendered.ofKind("PrometheusRule").get(0);
    List<String> expressions = new ArrayList<>();
    rule.path("spec")
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(6);

    List<String> relabelled = new ArrayList<>();
    for (String kind : List.of("ServiceMonitor", "PodMonitor")) {
      for (JsonNode monitor : rendered.ofKind(kind)) {
        JsonNode endpoints =
            monitor.path("spec").has("endpoints")
                ? monitor.path("spec").path("endpoints")
                : monitor.path("spec").path("podMetricsEndpoints");
        endpoints.forEach(
            e ->
                e.path("relabelings")
                    .forEach(
                        r -> {
                          if ("job".equals(r.path("targetLabel").asText())) {
                            relabelled.add(r.path("replacement").asText());
                          }
                        }));
      }
    }
    List<String> selected = new ArrayList<>();
    for (String expr : expressions) {
      Matcher m = JOB.matcher(expr);
      while (m.find()) {
        selected.add(m.group(1));
      }
    }
    assertThat(selected).isNotEmpty();
    assertThat(relabelled).containsAll(selected.stream().distinct().toList());
  }

  @Test
  void withoutMonitorsThereIsNoRule() {
    assertThat(
            Chart.render(List.of(), Map.of("metrics.monitors", "never")).ofKind("PrometheusRule"))
        .isEmpty();
  }
}
