package org.kfm.tasks.contracts;

/**
 * A file an attempt produced, as the final status event carries it and the api records it: its name
 * within the job, what it holds, its size and SHA-256 (hex), and where the artifact store keeps it
 * ({@code jobs/{jobId}/{name}}).
 */
public record ArtifactRef(String name, String contentType, long size, String sha256, String key) {}
