package org.kfm.tasks.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract against a real S3-compatible server, plus what only S3 does (presigning). */
class S3ArtifactStoreTest extends ArtifactStoreContractTest {
  private static final String BUCKET = "kfm-artifacts";

  @TempDir static Path s3Data;
  static S3MockServer server;
  static S3ArtifactStore store;

  @BeforeAll
  @Timeout(120)
  static void startServer() throws IOException {
    server = S3MockServer.start(s3Data);
    try (S3Client admin = adminClient()) {
      admin.createBucket(r -> r.bucket(BUCKET));
    }
    store = (S3ArtifactStore) ArtifactStores.create(config(BUCKET));
  }

  @AfterAll
  @Timeout(60)
  static void stopServer() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  ArtifactStore store() {
    return store;
  }

  @Test
  void presignedUrlServesTheObjectToAPlainHttpClient() throws Exception {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "report.csv");
    byte[] bytes = randomBytes(20_000, 11);
    store.put(key, file(bytes), "text/csv");

    URI url = store.presignedGet(key, Duration.ofMinutes(5)).orElseThrow();

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(bytes);
    assertThat(url.getPath()).isEqualTo("/" + BUCKET + "/" + key);
    assertThat(url.getQuery()).contains("X-Amz-Expires=300");
  }

  @Test
  void putKeepsTheContentType() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "report.csv");
    store.put(key, file(new byte[] {1, 2, 3}), "text/csv");

    try (S3Client admin = adminClient()) {
      assertThat(admin.headObject(r -> r.bucket(BUCKET).key(key)).contentType())
          .isEqualTo("text/csv");
    }
  }

  @Test
  void deleteAllWorksAcrossPagesAndBatches() throws IOException {
    UUID job = UUID.randomUUID();
    UUID kept = UUID.randomUUID();
    Path bytes = file(new byte[] {7});
    for (int i = 0; i < 7; i++) {
      store.put(ArtifactKeys.forJob(job, "part-" + i + ".bin"), bytes, "application/octet-stream");
    }
    store.put(ArtifactKeys.forJob(kept, "part-0.bin"), bytes, "application/octet-stream");

    // Pages and batches of 3 make 7 objects take three of each.
    try (S3ArtifactStore smallBatches = S3ArtifactStore.create(config(BUCKET), 3)) {
      smallBatches.deleteAll(ArtifactKeys.prefixOf(job));
    }

    for (int i = 0; i < 7; i++) {
      assertThat(store.size(ArtifactKeys.forJob(job, "part-" + i + ".bin"))).isEmpty();
    }
    assertThat(store.size(ArtifactKeys.forJob(kept, "part-0.bin"))).hasValue(1);
  }

  @Test
  void listAndDeleteWorkAcrossPagesAndBatches() throws IOException {
    UUID job = UUID.randomUUID();
    Path bytes = file(new byte[] {7, 7});
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      keys.add(ArtifactKeys.forJob(job, "part-" + i + ".bin"));
      store.put(keys.get(i), bytes, "application/octet-stream");
    }

    try (S3ArtifactStore smallBatches = S3ArtifactStore.create(config(BUCKET), 3)) {
      try (Stream<StoredObject> listing = smallBatches.list(ArtifactKeys.prefixOf(job))) {
        assertThat(listing.map(StoredObject::key).toList()).containsExactlyElementsOf(keys);
      }
      smallBatches.delete(keys);
    }

    assertThat(list(ArtifactKeys.prefixOf(job))).isEmpty();
  }

  @Test
  void aMissingBucketFailsAsIOException() {
    try (ArtifactStore missing = ArtifactStores.create(config("no-such-bucket"))) {
      String key = ArtifactKeys.forJob(UUID.randomUUID(), "a.txt");
      assertThatThrownBy(() -> missing.put(key, file(new byte[] {1}), "text/plain"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void kindIsS3() {
    assertThat(store.kind()).isEqualTo("s3");
  }

  private static ArtifactStoreConfig config(String bucket) {
    return new ArtifactStoreConfig(
        "s3", null, server.endpoint(), bucket, null, true, "test-access", "test-secret");
  }

  private static S3Client adminClient() {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access", "x")))
        .build();
  }
}
