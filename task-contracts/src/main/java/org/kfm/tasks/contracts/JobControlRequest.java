package org.kfm.tasks.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A request to every worker replica about one job, on {@code kfm.job-control}. */
public record JobControlRequest(int schemaVersion, UUID jobId, Action action, Instant at) {
  public static final int SCHEMA_VERSION = 1;

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
