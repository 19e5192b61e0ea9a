package org.kfm.tasks.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

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
    String queue,
    int concurrencyLimit,
    Retries retries,
    int timeoutSeconds,
    long ttlSeconds,
    Idempotency idempotency,
    JsonNode inputSchema,
    Outputs outputs,
    Security security,
    List<String> triggers,
    Lineage lineage,
    boolean hidden) {

  public TaskSpec {
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
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

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Security(String requiredRole, List<String> redact) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Lineage(List<String> include) {}
}
