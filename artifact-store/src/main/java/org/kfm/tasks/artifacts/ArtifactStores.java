package org.kfm.tasks.artifacts;

/** Builds the store a configuration names. */
public final class ArtifactStores {
  private ArtifactStores() {}

  /**
   * @throws IllegalArgumentException when the kind is unknown or its settings are missing
   */
  public static ArtifactStore create(ArtifactStoreConfig config) {
    String kind = config.kind();
    if ("filesystem".equals(kind)) {
      if (config.dir() == null) {
        throw new IllegalArgumentException("artifact store kind 'filesystem' needs a dir");
      }
      return new FileSystemArtifactStore(config.dir());
    }
    if ("s3".equals(kind)) {
      return S3ArtifactStore.create(config);
    }
    throw new IllegalArgumentException(
        "unknown artifact store kind '" + kind + "'; allowed: filesystem, s3");
  }
}
