package org.kfm.tasks.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A request to every worker replica about one job, on {@code kfm.job-control}. {@code attempt} is
 * the attempt it is about: a later attempt (a retry after a cancel) is not affected. A request that
 * names none (0, as from an older sender) is taken to mean the attempt running on the replica, or
 * else the first.
 */
public record JobControlRequest(
    int schemaVersion, UUID jobId, Action action, Instant at, int attempt) {
  public static final int SCHEMA_VERSION = 1;

  public static JobControlRequest cancel(UUID jobId, int attempt, Instant at) {
    return new JobControlRequest(SCHEMA_VERSION, jobId, Action.CANCEL, at, attempt);
  }

  public enum Action {
    CANCEL;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Action fromWireName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }
}
