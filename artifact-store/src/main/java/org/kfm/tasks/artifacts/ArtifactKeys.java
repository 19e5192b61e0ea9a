package org.kfm.tasks.artifacts;

import java.util.UUID;

/** The one key layout: {@code jobs/{jobId}/{name}}, so a retry of a job overwrites its files. */
public final class ArtifactKeys {
  private ArtifactKeys() {}

  public static String forJob(UUID jobId, String name) {
    ArtifactNames.requireValid(name);
    return "jobs/" + jobId + "/" + name;
  }

  public static String prefixOf(UUID jobId) {
    return "jobs/" + jobId + "/";
  }
}
