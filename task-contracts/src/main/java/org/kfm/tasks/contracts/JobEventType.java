package org.kfm.tasks.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Status events a worker emits about one attempt. */
public enum JobEventType {
  STARTED(Transition.STARTED),
  PROGRESS(Transition.PROGRESS),
  SUCCEEDED(Transition.SUCCEEDED),
  FAILED(Transition.FAILED),
  CANCELED(Transition.CANCELED),
  /** The worker received the command after the job's deadline and did not run it. */
  EXPIRED(Transition.EXPIRED);

  private final Transition transition;

  JobEventType(Transition transition) {
    this.transition = transition;
  }

  public Transition transition() {
    return transition;
  }

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELED || this == EXPIRED;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static JobEventType fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
