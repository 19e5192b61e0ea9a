package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one spec file and refuses it, naming every problem, unless it can be served as is. */
public final class TaskSpecLoader {
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
  private static final Pattern EVENT_TYPE = NAME;
  private static final Pattern SAFE_PATH = Pattern.compile("^/[A-Za-z0-9._~/-]*$");

  /** The API's own routes, which a spec may not claim: the job API and Quarkus' endpoints. */
  private static final List<String> RESERVED_PATHS = List.of("/api/v1", "/q");

  /** The only authentication scheme the API speaks. */
  static final String AUTH_JWT = "jwt";

  // Unknown fields in a spec are typos until proven otherwise: fail on them.
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private TaskSpecLoader() {}

  public static TaskSpec load(String source, InputStream yaml) {
    TaskSpec spec;
    try {
      spec = YAML.readValue(yaml, TaskSpec.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidTaskSpecException(source, List.of(unknownField(e)));
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

  /** A misspelled or unknown field, named with its path and the fields allowed there. */
  private static String unknownField(UnrecognizedPropertyException e) {
    String field = describePath(e);
    List<String> known =
        e.getKnownPropertyIds() == null
            ? List.of()
            : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    StringBuilder message = new StringBuilder("unknown field ").append(field);
    String closest = closest(e.getPropertyName(), known);
    if (closest != null) {
      message.append(" (did you mean ").append(closest).append("?)");
    }
    if (!known.isEmpty()) {
      message.append("; the fields allowed there are ").append(String.join(", ", known));
    }
    return message.toString();
  }

  /** The known name within a few typos of {@code name}, if there is one. */
  private static String closest(String name, List<String> known) {
    if (name == null) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(1, Math.min(3, name.length() / 3)) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static String describePath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
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
      String auth = spec.security().auth();
      if (auth != null && !AUTH_JWT.equals(auth)) {
        problems.add(
            "security.auth must be "
                + AUTH_JWT
                + " (the only scheme the API speaks), got "
                + (auth.isBlank() ? "nothing" : auth));
      }
    }
    for (String trigger : spec.triggers()) {
      if (trigger == null || !trigger.startsWith(Topics.DOMAIN_EVENTS_PREFIX)) {
        problems.add(
            "trigger " + trigger + " must be a topic under " + Topics.DOMAIN_EVENTS_PREFIX);
      }
    }
    triggeredByProblems(spec.triggeredBy(), problems);
    observabilityProblems(spec.observability(), problems);
    return problems;
  }

  private static void triggeredByProblems(TaskSpec.TriggeredBy triggeredBy, List<String> problems) {
    Set<TaskSpec.HttpRoute> seen = new HashSet<>();
    for (TaskSpec.HttpRoute route : triggeredBy.http()) {
      String where = "triggered_by route " + route;
      if (route.method() == null || route.method().isEmpty()) {
        problems.add(where + ": the method is missing; write it as POST " + route.path());
      } else if (!"POST".equals(route.method())) {
        problems.add(where + ": the method must be POST, got " + route.method());
      }
      String pathProblem = pathProblem(route.path());
      if (pathProblem != null) {
        problems.add(where + ": the path " + pathProblem);
      }
      if (!seen.add(route)) {
        problems.add(where + " is named more than once");
      }
    }
    Set<String> seenEvents = new HashSet<>();
    for (String event : triggeredBy.events()) {
      if (event == null || !EVENT_TYPE.matcher(event).matches()) {
        problems.add(
            "triggered_by event "
                + event
                + " must be a dotted lower-case event type such as imagery.arrived"
                + " (or its topic "
                + Topics.DOMAIN_EVENTS_PREFIX
                + "imagery.arrived)");
      } else if (!seenEvents.add(event)) {
        problems.add("triggered_by event " + event + " is named more than once");
      }
    }
  }

  /** What is wrong with a route's path, or null. */
  private static String pathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return "is missing";
    }
    if (!path.startsWith("/")) {
      return "must start with /";
    }
    if (!SAFE_PATH.matcher(path).matches()) {
      return "may contain only letters, digits and - _ . ~ /";
    }
    String[] segments = path.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "must not have empty, . or .. segments (nor end with /)";
      }
    }
    String lower = path.toLowerCase(Locale.ROOT);
    for (String reserved : RESERVED_PATHS) {
      if (lower.equals(reserved) || lower.startsWith(reserved + "/")) {
        return "must not be under "
            + reserved
            + "/, which belongs to the API itself (/api/v1/ the job API, /q/ health, metrics"
            + " and OpenAPI)";
      }
    }
    return null;
  }

  private static void observabilityProblems(
      TaskSpec.Observability observability, List<String> problems) {
    listOfNames(problems, "observability.logs", observability.logs());
    listOfNames(problems, "observability.metrics", observability.metrics());
  }

  private static void listOfNames(List<String> problems, String field, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (Objects.requireNonNullElse(names.get(i), "").isBlank()) {
        problems.add(field + "[" + i + "] must be a non-empty string");
      }
    }
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
