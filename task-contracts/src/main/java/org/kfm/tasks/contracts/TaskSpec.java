package org.kfm.tasks.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One task as declared by its spec file. The name is the task's identity on the wire, in logs,
 * metrics and the UI; it never changes when code is renamed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskSpec(
    String name,
    int version,
    String purpose,
    String owner,
    TriggeredBy triggeredBy,
    String queue,
    int concurrencyLimit,
    Retries retries,
    int timeoutSeconds,
    long ttlSeconds,
    Idempotency idempotency,
    JsonNode inputSchema,
    Outputs outputs,
    Observability observability,
    Security security,
    List<String> triggers,
    Lineage lineage,
    boolean hidden,
    Map<String, Map<String, JsonNode>> eventParams) {

  public TaskSpec {
    eventParams = eventParams == null ? Map.of() : Map.copyOf(eventParams);
    triggeredBy = triggeredBy == null ? TriggeredBy.NONE : triggeredBy;
    observability = observability == null ? Observability.NONE : observability;
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
  }

  /** The HTTP routes named in {@code triggered_by}; each enqueues this task when called. */
  public List<HttpRoute> httpRoutes() {
    return triggeredBy.http();
  }

  /**
   * The domain event types that enqueue this task (the topics' names after {@code kfm.events.}).
   */
  public List<String> eventTypes() {
    return eventTopics().stream()
        .map(topic -> topic.substring(Topics.DOMAIN_EVENTS_PREFIX.length()))
        .toList();
  }

  /**
   * Every domain-event topic that enqueues this task: the topics of {@code triggers} followed by
   * those of the event types in {@code triggered_by} ({@code kfm.events.<type>}), without repeats.
   */
  public List<String> eventTopics() {
    Set<String> topics = new LinkedHashSet<>(triggers);
    for (String type : triggeredBy.events()) {
      topics.add(Topics.DOMAIN_EVENTS_PREFIX + type);
    }
    return List.copyOf(topics);
  }

  /** The concurrency class named by {@code queue}; the loader guarantees it exists. */
  public ConcurrencyClass concurrencyClass() {
    return ConcurrencyClass.fromWireName(queue)
        .orElseThrow(() -> new IllegalStateException("unknown queue " + queue));
  }

  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  public Duration ttl() {
    return Duration.ofSeconds(ttlSeconds);
  }

  public String requiredRole() {
    return security == null ? null : security.requiredRole();
  }

  public List<String> redactedFields() {
    return security == null || security.redact() == null ? List.of() : security.redact();
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Retries(
      int maxAttempts,
      BackoffKind backoff,
      double initialDelaySeconds,
      double maxDelaySeconds,
      boolean jitter) {}

  public enum BackoffKind {
    FIXED,
    EXPONENTIAL;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BackoffKind fromWireName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Idempotency(List<String> keyFields) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Outputs(String location, List<String> tables) {}

  /** Log fields and metrics the task's owner relies on (names, e.g. {@code trace_id}). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Observability(
      @JsonDeserialize(contentUsing = StrictStringDeserializer.class) List<String> logs,
      @JsonDeserialize(contentUsing = StrictStringDeserializer.class) List<String> metrics) {
    public static final Observability NONE = new Observability(List.of(), List.of());

    public Observability {
      logs = logs == null ? List.of() : List.copyOf(logs);
      metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }
  }

  /**
   * Who may submit the task. {@code auth} is the scheme callers authenticate with; {@code jwt}, the
   * only one the API speaks, when omitted.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Security(String auth, String requiredRole, List<String> redact) {}

  /**
   * What enqueues the task besides {@code POST /api/v1/jobs}: HTTP routes of the API and domain
   * event types (without the {@code kfm.events.} prefix). The YAML may spell it in several ways;
   * see {@link TriggeredByDeserializer}.
   */
  @JsonDeserialize(using = TriggeredByDeserializer.class)
  public record TriggeredBy(List<HttpRoute> http, List<String> events) {
    public static final TriggeredBy NONE = new TriggeredBy(List.of(), List.of());

    public TriggeredBy {
      http = http == null ? List.of() : List.copyOf(http);
      events = events == null ? List.of() : List.copyOf(events);
    }
  }

  /** An API route that enqueues the task, e.g. {@code POST /api/simulation/run}. */
  public record HttpRoute(String method, String path) {
    public HttpRoute {
      method = method == null ? null : method.strip().toUpperCase(Locale.ROOT);
      path = path == null ? null : path.strip();
    }

    /**
     * Reads {@code "<METHOD> <path>"}; text without a method (e.g. {@code "/x"}) gives a route
     * whose method is null, which the loader refuses by name.
     */
    public static HttpRoute parse(String text) {
      String stripped = text.strip();
      String[] parts = stripped.split("\\s+", 2);
      return parts.length == 2 ? new HttpRoute(parts[0], parts[1]) : new HttpRoute(null, stripped);
    }

    @Override
    public String toString() {
      return method == null ? path : method + " " + path;
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Lineage(List<String> include) {}
}
