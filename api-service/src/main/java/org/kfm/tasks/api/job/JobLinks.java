package org.kfm.tasks.api.job;

import java.util.UUID;

final class JobLinks {
  static final String BASE = "/api/v1/jobs";

  private JobLinks() {}

  static String self(UUID id) {
    return BASE + "/" + id;
  }
}
