package org.kfm.tasks.api.job;

import java.time.Instant;
import java.util.Map;
import org.kfm.tasks.api.store.ArtifactRow;

/** A file of a job as clients see it, with where to download it. */
public record ArtifactView(
    String name,
    String contentType,
    long size,
    String sha256,
    Instant createdAt,
    Map<String, String> links) {

  public static ArtifactView of(ArtifactRow row) {
    return new ArtifactView(
        row.name(),
        row.contentType(),
        row.size(),
        row.sha256(),
        row.createdAt(),
        Map.of("download", JobLinks.artifact(row.jobId(), row.name())));
  }
}
