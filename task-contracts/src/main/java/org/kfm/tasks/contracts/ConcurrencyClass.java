package org.kfm.tasks.contracts;

import java.util.Arrays;
import java.util.Optional;

/** A class of work that shares one topic and one worker pool; workers scale per class. */
public enum ConcurrencyClass {
  CPU_HEAVY("cpu-heavy"),
  IO_HEAVY("io-heavy"),
  LATENCY_SENSITIVE("latency-sensitive");

  private final String wireName;

  ConcurrencyClass(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public String topic() {
    return Topics.TASKS_PREFIX + wireName;
  }

  public static Optional<ConcurrencyClass> fromWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }
}
