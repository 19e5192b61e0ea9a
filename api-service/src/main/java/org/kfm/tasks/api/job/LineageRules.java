package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kfm.tasks.api.trace.JobTraces;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * What a client may declare as a job's lineage, and the lineage a job records. A client names only
 * fields its task's spec lists in {@code lineage.include}: {@code input_dataset_versions} maps
 * dataset names to versions, {@code pipeline_run_id} names the run that submitted the job, any
 * other listed field is a short string. The recorded lineage adds the job's identity and trace to
 * what the client declared. Pure: it reads what it is given.
 */
final class LineageRules {
  static final String DATASET_VERSIONS = "input_dataset_versions";
  static final String PIPELINE_RUN_ID = "pipeline_run_id";
  static final int MAX_DATASETS = 50;
  static final int MAX_ID_LENGTH = 128;
  static final int MAX_OTHER_LENGTH = 256;

  private static final String FIELD = "/lineage";

  private LineageRules() {}

  /**
   * The fields the client declared, checked against the task's spec.
   *
   * @param declared the request's {@code lineage}, or null when it has none
   * @return the declared fields, empty when there are none, or the field errors found
   */
  static Checked check(TaskSpec spec, JsonNode declared) {
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    if (declared == null || declared.isNull()) {
      return new Checked(fields, List.of());
    }
    if (!declared.isObject()) {
      return new Checked(fields, List.of(new FieldError(FIELD, "lineage must be a JSON object")));
    }
    List<String> allowed = allowedOf(spec);
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : declared.properties()) {
      String name = field.getKey();
      String pointer = FIELD + "/" + escape(name);
      if (!allowed.contains(name)) {
        errors.add(
            new FieldError(
                pointer,
                allowed.isEmpty()
                    ? "task " + spec.name() + " records no lineage fields"
                    : "not a lineage field of " + spec.name() + "; it records " + allowed));
        continue;
      }
      int before = errors.size();
      switch (name) {
        case DATASET_VERSIONS -> checkDatasets(field.getValue(), pointer, errors);
        case PIPELINE_RUN_ID ->
            checkString(field.getValue(), pointer, 1, MAX_ID_LENGTH, "pipeline_run_id", errors);
        default -> checkString(field.getValue(), pointer, 0, MAX_OTHER_LENGTH, name, errors);
      }
      if (errors.size() == before) {
        fields.set(name, field.getValue());
      }
    }
    return new Checked(fields, errors);
  }

  /**
   * The lineage a job records and its commands carry: its identity and trace (the id, and the
   * traceparent its commands continue), then the fields its client declared (which never replace
   * the identity).
   */
  static ObjectNode of(
      UUID jobId, TaskSpec spec, String traceId, String traceparent, ObjectNode declared) {
    ObjectNode lineage = JsonNodeFactory.instance.objectNode();
    lineage.put("jobId", jobId.toString());
    lineage.put("task", spec.name());
    lineage.put("taskVersion", spec.version());
    lineage.put("traceId", traceId);
    if (traceparent != null) {
      lineage.put(JobTraces.LINEAGE_FIELD, traceparent);
    }
    declared.properties().forEach(f -> lineage.putIfAbsent(f.getKey(), f.getValue()));
    return lineage;
  }

  /** The client's fields that passed, and what is wrong with the others. */
  record Checked(ObjectNode fields, List<FieldError> errors) {}

  private static List<String> allowedOf(TaskSpec spec) {
    return spec.lineage() == null || spec.lineage().include() == null
        ? List.of()
        : spec.lineage().include();
  }

  private static void checkDatasets(JsonNode value, String pointer, List<FieldError> errors) {
    if (!value.isObject()) {
      errors.add(
          new FieldError(pointer, "input_dataset_versions must map dataset names to versions"));
      return;
    }
    if (value.size() > MAX_DATASETS) {
      errors.add(
          new FieldError(
              pointer, "input_dataset_versions holds at most " + MAX_DATASETS + " datasets"));
      return;
    }
    for (Map.Entry<String, JsonNode> dataset : value.properties()) {
      String entry = pointer + "/" + escape(dataset.getKey());
      if (dataset.getKey().isEmpty() || dataset.getKey().length() > MAX_ID_LENGTH) {
        errors.add(
            new FieldError(entry, "a dataset name must be 1-" + MAX_ID_LENGTH + " characters"));
      } else {
        checkString(dataset.getValue(), entry, 1, MAX_ID_LENGTH, "a dataset version", errors);
      }
    }
  }

  private static void checkString(
      JsonNode value, String pointer, int min, int max, String what, List<FieldError> errors) {
    if (!value.isTextual() || value.asText().length() < min || value.asText().length() > max) {
      errors.add(
          new FieldError(
              pointer,
              what
                  + " must be a string of "
                  + (min == 0 ? "at most " + max : min + "-" + max)
                  + " characters"));
    }
  }

  /** A JSON Pointer reference token (RFC 6901). */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
