package org.kfm.tasks.api.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One job_artifacts row: a file of a job, where the artifact store keeps it, and the attempt that
 * produced it. {@code createdAt} is null for a row about to be written (the database stamps it).
 */
public record ArtifactRow(
    UUID jobId,
    String name,
    String contentType,
    long size,
    String sha256,
    String storageKey,
    int attempt,
    Instant createdAt) {}
