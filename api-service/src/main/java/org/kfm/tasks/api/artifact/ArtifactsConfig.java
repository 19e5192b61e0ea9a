package org.kfm.tasks.api.artifact;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where jobs' files are kept and how downloads hand them out ({@code kfm.artifacts.*}; each key
 * also reads from its environment variable, e.g. {@code KFM_ARTIFACTS_DIR}, {@code
 * KFM_ARTIFACTS_S3_BUCKET}).
 */
@ConfigMapping(prefix = "kfm.artifacts")
public interface ArtifactsConfig {
  /** {@code filesystem} (files under {@link #dir()}) or {@code s3}. */
  @WithDefault("filesystem")
  String store();

  /** The filesystem store's root; workers must write to the same folder. */
  @WithDefault("${java.io.tmpdir}/kfm-artifacts")
  Path dir();

  /** {@code stream} the bytes through the api, or {@code redirect} to a presigned URL. */
  @WithDefault("stream")
  Download download();

  /** How long a presigned URL of a redirect stays valid. */
  @WithDefault("5m")
  Duration presignTtl();

  S3 s3();

  enum Download {
    STREAM,
    REDIRECT
  }

  /** An S3-compatible bucket; no endpoint means AWS itself. */
  interface S3 {
    Optional<URI> endpoint();

    Optional<String> bucket();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("false")
    boolean pathStyle();

    Optional<String> accessKey();

    Optional<String> secretKey();
  }
}
