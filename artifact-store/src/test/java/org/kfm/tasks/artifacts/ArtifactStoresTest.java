package org.kfm.tasks.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArtifactStoresTest {

  @Test
  void filesystemKindMakesAFilesystemStore() {
    try (ArtifactStore store =
        ArtifactStores.create(ArtifactStoreConfig.filesystem(Path.of("x")))) {
      assertThat(store).isInstanceOf(FileSystemArtifactStore.class);
      assertThat(store.kind()).isEqualTo("filesystem");
    }
  }

  @Test
  void s3KindMakesAnS3StoreWithoutContactingIt() {
    try (ArtifactStore store =
        ArtifactStores.create(
            new ArtifactStoreConfig(
                "s3",
                null,
                URI.create("http://127.0.0.1:1"),
                "bucket",
                "eu-central-1",
                true,
                "key",
                "secret"))) {
      assertThat(store).isInstanceOf(S3ArtifactStore.class);
      assertThat(store.kind()).isEqualTo("s3");
    }
  }

  @Test
  void unknownKindNamesTheAllowedOnes() {
    assertThatThrownBy(() -> ArtifactStores.create(config("gcs", Path.of("x"), "bucket")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gcs")
        .hasMessageContaining("filesystem")
        .hasMessageContaining("s3");
    assertThatThrownBy(() -> ArtifactStores.create(config(null, Path.of("x"), "bucket")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("filesystem, s3");
  }

  @Test
  void filesystemWithoutDirIsRefused() {
    assertThatThrownBy(() -> ArtifactStores.create(config("filesystem", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dir");
  }

  @Test
  void s3WithoutBucketIsRefused() {
    assertThatThrownBy(() -> ArtifactStores.create(config("s3", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> ArtifactStores.create(config("s3", null, " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket");
  }

  @Test
  void s3AccessKeyWithoutSecretIsRefused() {
    assertThatThrownBy(
            () ->
                ArtifactStores.create(
                    new ArtifactStoreConfig("s3", null, null, "b", null, true, "key", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3SecretKey");
  }

  private static ArtifactStoreConfig config(String kind, Path dir, String bucket) {
    return new ArtifactStoreConfig(kind, dir, null, bucket, null, false, null, null);
  }
}
