package org.kfm.tasks.api.job;

import java.util.UUID;

final class JobLinks {
  static final String BASE = "/api/v1/jobs";

  private JobLinks() {}

  static String self(UUID id) {
    return BASE + "/" + id;
  }

  static String artifacts(UUID id) {
    return self(id) + "/artifacts";
  }

  /** Artifact names are plain file names (letters, digits, '.', '_', '-'): nothing to encode. */
  static String artifact(UUID id, String name) {
    return artifacts(id) + "/" + name;
  }
}
