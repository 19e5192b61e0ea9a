package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads one spec file and refuses it, naming every problem, unless it can be served as is. */
public final class TaskSpecLoader {
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");

  // Unknown fields in a spec are typos until proven otherwise: fail on them.
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private TaskSpecLoader() {}

  public static TaskSpec load(String source, InputStream yaml) {
    TaskSpec spec;
    try {
      spec = YAML.readValue(yaml, TaskSpec.class);
    } catch (JsonMappingException e) {
      throw new InvalidTaskSpecException(
          source, List.of(e.getOriginalMessage() + " at " + describePath(e)));
    } catch (IOException e) {
      throw new InvalidTaskSpecException(source, List.of("unreadable: " + e.getMessage()));
    }
    if (spec == null) {
      throw new InvalidTaskSpecException(source, List.of("empty file"));
    }
    List<String> problems = problemsOf(spec);
    if (!problems.isEmpty()) {
      throw new InvalidTaskSpecException(source, problems);
    }
    return spec;
  }

  private static String describePath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      path.append(path.length() == 0 ? "" : ".")
          .append(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
    }
    return path.length() == 0 ? "top level" : path.toString();
  }

  static List<String> problemsOf(TaskSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      problems.add("name must look like family.task_name (lower case, dotted), got " + spec.name());
    }
    if (spec.version() < 1) {
      problems.add("version must be >= 1");
    }
    requireText(problems, "purpose", spec.purpose());
    requireText(problems, "owner", spec.owner());
    if (ConcurrencyClass.fromWireName(spec.queue()).isEmpty()) {
      problems.add(
          "queue must be one of cpu-heavy, io-heavy, latency-sensitive, got " + spec.queue());
    }
    if (spec.concurrencyLimit() < 1) {
      problems.add("concurrency_limit must be >= 1");
    }
    if (spec.timeoutSeconds() < 1) {
      problems.add("timeout_seconds must be >= 1");
    }
    if (spec.ttlSeconds() < 1) {
      problems.add("ttl_seconds must be >= 1");
    }
    retryProblems(spec.retries(), problems);
    if (spec.inputSchema() == null || !spec.inputSchema().isObject()) {
      problems.add("input_schema must be a JSON Schema object");
    } else {
      problems.addAll(ParamsValidator.schemaProblems(spec.inputSchema()));
    }
    if (spec.security() == null) {
      problems.add("security.required_role is required");
    } else {
      requireText(problems, "security.required_role", spec.security().requiredRole());
    }
    for (String trigger : spec.triggers()) {
      if (trigger == null || !trigger.startsWith(Topics.DOMAIN_EVENTS_PREFIX)) {
        problems.add(
            "trigger " + trigger + " must be a topic under " + Topics.DOMAIN_EVENTS_PREFIX);
      }
    }
    return problems;
  }

  private static void retryProblems(TaskSpec.Retries retries, List<String> problems) {
    if (retries == null) {
      problems.add("retries is required");
      return;
    }
    if (retries.maxAttempts() < 1) {
      problems.add("retries.max_attempts must be >= 1");
    }
    if (retries.backoff() == null) {
      problems.add("retries.backoff must be fixed or exponential");
    }
    if (retries.initialDelaySeconds() < 0) {
      problems.add("retries.initial_delay_seconds must be >= 0");
    }
    if (retries.maxDelaySeconds() < retries.initialDelaySeconds()) {
      problems.add("retries.max_delay_seconds must be >= initial_delay_seconds");
    }
  }

  private static void requireText(List<String> problems, String field, String value) {
    if (value == null || value.isBlank()) {
      problems.add(field + " is required");
    }
  }
}
