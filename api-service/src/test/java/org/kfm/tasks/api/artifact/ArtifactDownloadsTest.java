package org.kfm.tasks.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.job.JobQueries;
import org.kfm.tasks.api.store.ArtifactRow;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.artifacts.ArtifactStore;

/** The redirect option, with stores that can and cannot presign: no database, no HTTP. */
class ArtifactDownloadsTest {
  private static final UUID JOB = UUID.randomUUID();
  private static final Caller OWNER = new Caller("olga", Set.of("analyst"));
  private static final ArtifactRow ROW =
      new ArtifactRow(
          JOB,
          "a.csv",
          "text/csv",
          3,
          "ab".repeat(32),
          ArtifactKeys.forJob(JOB, "a.csv"),
          1,
          Instant.now());
  private static final ArtifactDownloads.Conditions NONE =
      new ArtifactDownloads.Conditions(null, null, null);

  private static final JobQueries QUERIES =
      new JobQueries(null, null, null) {
        @Override
        public Uni<ArtifactRow> artifact(Caller caller, String id, String name) {
          return Uni.createFrom().item(ROW);
        }
      };

  /** A store of one 3-byte object that presigns with {@code presigned}, if given. */
  private static ArtifactStore store(URI presigned) {
    return new ArtifactStore() {
      @Override
      public void put(String key, Path file, String contentType) {}

      @Override
      public InputStream open(String key, long offset, long length) {
        return new ByteArrayInputStream(new byte[] {1, 2, 3}, (int) offset, (int) length);
      }

      @Override
      public OptionalLong size(String key) {
        return OptionalLong.of(3);
      }

      @Override
      public Optional<URI> presignedGet(String key, Duration ttl) {
        assertThat(ttl).isEqualTo(Duration.ofMinutes(5));
        return Optional.ofNullable(presigned);
      }

      @Override
      public void deleteAll(String prefix) {}

      @Override
      public java.util.stream.Stream<org.kfm.tasks.artifacts.StoredObject> list(String prefix) {
        return java.util.stream.Stream.empty();
      }

      @Override
      public void delete(java.util.Collection<String> keys) {}

      @Override
      public String kind() {
        return presigned == null ? "filesystem" : "s3";
      }
    };
  }

  private static ArtifactsConfig config(ArtifactsConfig.Download mode) {
    return new ArtifactsConfig() {
      @Override
      public String store() {
        return "s3";
      }

      @Override
      public Path dir() {
        return Path.of("unused");
      }

      @Override
      public Download download() {
        return mode;
      }

      @Override
      public Duration presignTtl() {
        return Duration.ofMinutes(5);
      }

      @Override
      public S3 s3() {
        return null;
      }
    };
  }

  private static Response download(ArtifactStore store, ArtifactsConfig.Download mode)
      throws Exception {
    return new ArtifactDownloads(QUERIES, store, config(mode), new SimpleMeterRegistry())
        .download(OWNER, JOB.toString(), "a.csv", NONE);
  }

  @Test
  void inRedirectModeAStoreThatPresignsAnswers307ToItsUrl() throws Exception {
    URI presigned = URI.create("https://bucket.example/jobs/a.csv?X-Amz-Signature=1");

    Response response = download(store(presigned), ArtifactsConfig.Download.REDIRECT);

    assertThat(response.getStatus()).isEqualTo(307);
    assertThat(response.getLocation()).isEqualTo(presigned);
  }

  @Test
  void inRedirectModeAStoreThatCannotPresignStillStreams() throws Exception {
    Response response = download(store(null), ArtifactsConfig.Download.REDIRECT);

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Content-Length")).isEqualTo("3");
  }

  @Test
  void inStreamModeEvenAStoreThatPresignsStreams() throws Exception {
    URI presigned = URI.create("https://bucket.example/x");

    assertThat(download(store(presigned), ArtifactsConfig.Download.STREAM).getStatus())
        .isEqualTo(200);
  }
}
