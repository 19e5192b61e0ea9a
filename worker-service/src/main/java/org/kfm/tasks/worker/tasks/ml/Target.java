package org.kfm.tasks.worker.tasks.ml;

/** The simulation statistic a model predicts; its wire name is the {@code target} input. */
enum Target {
  P95("p95"),
  MEAN("mean");

  private final String wireName;

  Target(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  double of(RunRow row) {
    return this == P95 ? row.p95() : row.mean();
  }

  static Target named(String name) {
    for (Target target : values()) {
      if (target.wireName.equals(name)) {
        return target;
      }
    }
    throw new IllegalArgumentException("unknown target " + name);
  }
}
