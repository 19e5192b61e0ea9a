package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * Jobs that ended as a worker would end them: a simulation submitted by an analyst, and its success
 * reported on {@code kfm.job-events} with the artifacts it stored.
 */
final class SucceededJobs {
  static final Duration WAIT = Duration.ofSeconds(30);

  private SucceededJobs() {}

  /** Submits a simulation as {@code owner}; returns the job id. */
  static UUID submitSimulation(String owner) {
    String id =
        given()
            .header("Authorization", Tokens.analyst(owner))
            .contentType(ContentType.JSON)
            .body(
                "{\"task\":\"analysis.run_simulation\",\"params\":{\"scenario_id\":\"art-"
                    + UUID.randomUUID()
                    + "\",\"runs\":1000,\"annual_event_rate\":1.5,"
                    + "\"severity\":{\"mu\":0,\"sigma\":1}}}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    return UUID.fromString(id);
  }

  static void emit(KafkaTestClient kafka, JobEvent event) {
    kafka.send(Topics.JOB_EVENTS, event.jobId().toString(), Wire.toJson(event));
  }

  static JobEvent succeeded(UUID jobId, int attempt, List<ArtifactRef> artifacts) {
    return JobEvent.succeeded(
        jobId, attempt, "w1", Instant.now(), Wire.mapper().createObjectNode(), artifacts);
  }

  static void awaitStatus(UUID id, String status) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                given()
                    .header("Authorization", Tokens.admin())
                    .get("/api/v1/jobs/" + id)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo(status)));
  }

  /** The reference a worker sends for {@code content} stored as the job's {@code name}. */
  static ArtifactRef refOf(UUID jobId, String name, String contentType, byte[] content) {
    return new ArtifactRef(
        name, contentType, content.length, sha256(content), ArtifactKeys.forJob(jobId, name));
  }

  /** Stores {@code content} as a worker would, under the job's key for {@code name}. */
  static void store(ArtifactStore store, ArtifactRef ref, byte[] content) {
    try {
      Path file = Files.createTempFile("artifact-", ".bin");
      try {
        Files.write(file, content);
        store.put(ref.key(), file, ref.contentType());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
