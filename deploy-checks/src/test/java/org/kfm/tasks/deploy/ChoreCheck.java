package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.kfm.tasks.contracts.TaskCatalog;

/** The chore CronJobs against the task catalogue. */
final class ChoreCheck {
  private ChoreCheck() {}

  /** Each chore CronJob submits a task the catalogue has. */
  static List<String> problems(Rendered rendered, TaskCatalog catalog) {
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
      String job = Manifests.env(container).get("KFM_JOB");
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
}
