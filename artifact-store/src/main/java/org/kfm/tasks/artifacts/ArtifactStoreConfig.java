package org.kfm.tasks.artifacts;

import java.net.URI;
import java.nio.file.Path;

/**
 * Which store to use and how to reach it. {@code kind} is {@code filesystem} (files under {@code
 * dir}) or {@code s3} (a bucket of an S3-compatible service; {@code s3Endpoint} empty means AWS).
 */
public record ArtifactStoreConfig(
    String kind,
    Path dir,
    URI s3Endpoint,
    String s3Bucket,
    String s3Region,
    boolean s3PathStyle,
    String s3AccessKey,
    String s3SecretKey) {

  public static ArtifactStoreConfig filesystem(Path dir) {
    return new ArtifactStoreConfig("filesystem", dir, null, null, null, false, null, null);
  }
}
