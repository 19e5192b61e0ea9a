package org.kfm.tasks.worker.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.artifacts.StoredObject;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.testing.KafkaTestClient;
import org.kfm.tasks.worker.outputs.Commands;

/**
 * The maintenance tasks through the real worker, broker and filesystem store: objects are made old
 * by setting their files' modification times.
 */
@QuarkusTest
class MaintenanceTest {
  // Whole seconds, so that times read back from the file system compare equal.
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "kfm.artifacts.temp-dir")
  Path tempDir;

  /** The filesystem store's folder: the test store is {@code filesystem}. */
  @ConfigProperty(name = "kfm.artifacts.dir")
  Path storeDir;

  @Inject ArtifactStore store;
  @Inject DataSource dataSource;
  @Inject MeterRegistry meters;

  private KafkaTestClient kafka;
  private Commands commands;

  @BeforeEach
  void connect() throws IOException {
    kafka = new KafkaTestClient(bootstrap);
    commands = new Commands(kafka);
    forgetOldObjects();
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  /**
   * Other tests leave young files only; an earlier, interrupted run of this class may have left old
   * ones, which would add to the counts asserted here.
   */
  private void forgetOldObjects() throws IOException {
    assertThat(store.kind()).isEqualTo("filesystem");
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
    for (String prefix : List.of("jobs/", "tiles/")) {
      try (var listing = store.list(prefix)) {
        store.delete(
            listing
                .filter(o -> o.lastModified().isBefore(hourAgo))
                .map(StoredObject::key)
                .toList());
      }
    }
    Files.createDirectories(tempDir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tempDir, "kfm-artifact-*.part")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private Path fileOf(String key) {
    return storeDir.toAbsolutePath().normalize().resolve(key);
  }

  /** Stores {@code size} bytes under the key, last written at {@code at}. */
  private void object(String key, int size, Instant at) throws IOException {
    Path file = Files.createTempFile("maintenance-", ".bin");
    try {
      Files.write(file, new byte[size]);
      store.put(key, file, "application/octet-stream");
    } finally {
      Files.deleteIfExists(file);
    }
    Files.setLastModifiedTime(fileOf(key), FileTime.from(at));
  }

  /**
   * A 10-byte object written straight into the store's folder, as a put would leave it, without the
   * put's fsyncs: for tests that need thousands.
   */
  private void oldFile(String key, Instant at) throws IOException {
    Path file = fileOf(key);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[10]);
    Files.setLastModifiedTime(file, FileTime.from(at));
  }

  private boolean exists(String key) throws IOException {
    return store.size(key).isPresent();
  }

  private JsonNode succeeded(TaskCommand command, int n) {
    JobEvent outcome = commands.outcome(command.jobId(), n);
    assertThat(outcome.type()).as("outcome %s", outcome).isEqualTo(JobEventType.SUCCEEDED);
    return outcome.result();
  }

  private double removedCounter(String task, String kind) {
    var counter = meters.find("kfm.maintenance.removed").tags("task", task, "kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void pruneDeletesOldJobFilesAndTheirRunLinksInBatchesAndKeepsYoungOnes() throws Exception {
    UUID oldJob = UUID.randomUUID();
    UUID mixedJob = UUID.randomUUID();
    String report = ArtifactKeys.forJob(oldJob, "report.pdf");
    object(report, 1000, NOW.minus(Duration.ofDays(40)));
    object(ArtifactKeys.forJob(oldJob, "runs.csv"), 200, NOW.minus(Duration.ofDays(35)));
    object(ArtifactKeys.forJob(mixedJob, "a.csv"), 30, NOW.minus(Duration.ofDays(3)));
    String youngInOldFolder = ArtifactKeys.forJob(mixedJob, "b.csv");
    object(youngInOldFolder, 4, NOW.minus(Duration.ofHours(20)));
    String fresh = ArtifactKeys.forJob(UUID.randomUUID(), "fresh.csv");
    object(fresh, 5, NOW);
    UUID run = linkedRun(report);
    double before = removedCounter("maintenance.prune_artifacts", "artifacts");

    JsonNode result =
        succeeded(
            commands.send(
                "maintenance.prune_artifacts", "{\"older_than_days\":1,\"batch_size\":2}"),
            1);

    assertThat(result.path("complete").asBoolean()).isTrue();
    assertThat(result.path("dryRun").asBoolean()).isFalse();
    assertThat(result.path("scanned").asLong()).isGreaterThanOrEqualTo(5);
    JsonNode removed = result.path("removed");
    assertThat(removed.path("count").asLong()).isEqualTo(3);
    assertThat(removed.path("bytes").asLong()).isEqualTo(1230);
    assertThat(removed.path("oldest").asText())
        .isEqualTo(NOW.minus(Duration.ofDays(40)).toString());
    assertThat(removed.path("newest").asText()).isEqualTo(NOW.minus(Duration.ofDays(3)).toString());
    assertThat(result.path("runLinksRemoved").asLong()).isEqualTo(1);
    assertThat(exists(report)).isFalse();
    assertThat(exists(ArtifactKeys.forJob(oldJob, "runs.csv"))).isFalse();
    assertThat(exists(ArtifactKeys.forJob(mixedJob, "a.csv"))).isFalse();
    assertThat(exists(youngInOldFolder)).isTrue();
    assertThat(exists(fresh)).isTrue();
    assertThat(fileOf(ArtifactKeys.prefixOf(oldJob))).doesNotExist();
    assertThat(
            single(
                "SELECT count(*) FROM worker.simulation_run_artifacts WHERE run_job_id = '"
                    + run
                    + "'"))
        .isEqualTo("0");
    assertThat(single("SELECT count(*) FROM worker.simulation_runs WHERE job_id = '" + run + "'"))
        .isEqualTo("1");
    assertThat(removedCounter("maintenance.prune_artifacts", "artifacts") - before).isEqualTo(3);
  }

  @Test
  void aDryRunSaysWhatWouldGoAndRemovesNothing() throws Exception {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "old.csv");
    object(key, 77, NOW.minus(Duration.ofDays(10)));
    double before = removedCounter("maintenance.prune_artifacts", "artifacts");

    JsonNode result =
        succeeded(
            commands.send(
                "maintenance.prune_artifacts", "{\"older_than_days\":7,\"dry_run\":true}"),
            1);

    assertThat(result.path("dryRun").asBoolean()).isTrue();
    assertThat(result.has("removed")).isFalse();
    assertThat(result.path("wouldRemove").path("count").asLong()).isEqualTo(1);
    assertThat(result.path("wouldRemove").path("bytes").asLong()).isEqualTo(77);
    assertThat(exists(key)).isTrue();
    assertThat(removedCounter("maintenance.prune_artifacts", "artifacts")).isEqualTo(before);
  }

  @Test
  void aRegisteredModelFileStaysWhateverItsAge() throws Exception {
    UUID modelJob = UUID.randomUUID();
    String model = ArtifactKeys.forJob(modelJob, "model-v1.bin");
    String metrics = ArtifactKeys.forJob(modelJob, "metrics.json");
    object(model, 10, NOW.minus(Duration.ofDays(400)));
    object(metrics, 10, NOW.minus(Duration.ofDays(400)));
    execute(
        "INSERT INTO worker.ml_models (job_id, owner, name, version, target, algorithm, features,"
            + " hyperparameters, metrics, dataset_version, artifact_key, artifact_size, sha256,"
            + " promoted, promotion_reason, lineage, created_at) VALUES ('"
            + modelJob
            + "', 'ann', 'kept-"
            + modelJob
            + "', 1, 'p95', 'slm', '[]', '{}', '{}', 'v', '"
            + model
            + "', 10, 'x', true, 'first', '{}', now())");

    succeeded(commands.send("maintenance.prune_artifacts", "{\"older_than_days\":7}"), 1);

    assertThat(exists(model)).as("the registry's model file").isTrue();
    assertThat(exists(metrics)).isFalse();
  }

  @Test
  void twoPrunesAtOnceBothSucceedAndLeaveOnlyYoungFiles() throws Exception {
    // Enough work, in batches of one, that the two runs' sweeps overlap in practice; the exact
    // interleaving is proven deterministically by StoreSweepTest.
    List<String> old = new ArrayList<>();
    for (int j = 0; j < 500; j++) {
      UUID job = UUID.randomUUID();
      for (int n = 0; n < 4; n++) {
        old.add(ArtifactKeys.forJob(job, "part-" + n + ".bin"));
        oldFile(old.get(old.size() - 1), NOW.minus(Duration.ofDays(5)));
      }
    }
    String young = ArtifactKeys.forJob(UUID.randomUUID(), "young.bin");
    object(young, 10, NOW.minus(Duration.ofHours(2)));
    String params = "{\"older_than_days\":2,\"batch_size\":1}";

    TaskCommand first = commands.send("maintenance.prune_artifacts", params);
    TaskCommand second = commands.send("maintenance.prune_artifacts", params);
    JsonNode a = succeeded(first, 1);
    JsonNode b = succeeded(second, 1);

    long sum = a.path("removed").path("count").asLong() + b.path("removed").path("count").asLong();
    assertThat(sum).isBetween(2000L, 4000L);
    for (String key : old) {
      assertThat(exists(key)).as(key).isFalse();
    }
    assertThat(exists(young)).isTrue();
  }

  @Test
  void aPruneWithoutAnAgeFailsForGoodAndDeletesNothing() throws Exception {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "kept.csv");
    object(key, 1, NOW.minus(Duration.ofDays(10)));

    TaskCommand command = commands.send("maintenance.prune_artifacts", "{\"older_than_days\":0}");
    JobEvent outcome = commands.outcome(command.jobId(), 1);

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("INVALID_PARAMS");
    assertThat(outcome.error().retryable()).isFalse();
    assertThat(exists(key)).isTrue();
  }

  @Test
  void cacheCleanupRemovesOldTilesAndLeftoverTempFilesOnly() throws Exception {
    String layer = "tiles/test-" + UUID.randomUUID();
    object(layer + "/3/4/5.png", 300, NOW.minus(Duration.ofDays(2)));
    object(layer + "/3/4/6.png", 400, NOW.minus(Duration.ofHours(30)));
    String youngTile = layer + "/3/5/5.png";
    object(youngTile, 500, NOW.minus(Duration.ofHours(2)));
    String jobFile = ArtifactKeys.forJob(UUID.randomUUID(), "old.csv");
    object(jobFile, 9, NOW.minus(Duration.ofDays(30)));
    Path leftover = tempFile("kfm-artifact-1.part", 64, NOW.minus(Duration.ofMinutes(90)));
    Path writing = tempFile("kfm-artifact-2.part", 32, NOW.minus(Duration.ofMinutes(20)));
    Path notOurs = tempFile("other-1.part", 16, NOW.minus(Duration.ofDays(3)));
    double before = removedCounter("maintenance.cache_cleanup", "tiles");

    JsonNode result =
        succeeded(
            commands.send(
                "maintenance.cache_cleanup",
                "{\"tiles_older_than_hours\":24,\"temp_older_than_minutes\":60,\"batch_size\":1}"),
            1);

    assertThat(result.path("complete").asBoolean()).isTrue();
    assertThat(result.path("tiles").path("removed").path("count").asLong()).isEqualTo(2);
    assertThat(result.path("tiles").path("removed").path("bytes").asLong()).isEqualTo(700);
    assertThat(result.path("tempFiles").path("removed").path("count").asLong()).isEqualTo(1);
    assertThat(result.path("tempFiles").path("removed").path("bytes").asLong()).isEqualTo(64);
    assertThat(exists(layer + "/3/4/5.png")).isFalse();
    assertThat(exists(layer + "/3/4/6.png")).isFalse();
    assertThat(exists(youngTile)).isTrue();
    assertThat(exists(jobFile)).isTrue();
    assertThat(leftover).doesNotExist();
    assertThat(writing).exists();
    assertThat(notOurs).exists();
    assertThat(removedCounter("maintenance.cache_cleanup", "tiles") - before).isEqualTo(2);
    Files.delete(writing);
    Files.delete(notOurs);
  }

  @Test
  void twoCacheCleanupsAtOnceBothSucceedAndADryRunRemovesNothing() throws Exception {
    String layer = "tiles/test-" + UUID.randomUUID();
    for (int n = 0; n < 30; n++) {
      object(layer + "/z/" + n + ".png", 10, NOW.minus(Duration.ofDays(10)));
    }
    Path leftover = tempFile("kfm-artifact-3.part", 8, NOW.minus(Duration.ofHours(5)));
    String params = "{\"tiles_older_than_hours\":48,\"batch_size\":4%s}";

    JsonNode dry =
        succeeded(
            commands.send("maintenance.cache_cleanup", params.formatted(",\"dry_run\":true")), 1);
    assertThat(dry.path("tiles").path("wouldRemove").path("count").asLong()).isEqualTo(30);
    assertThat(dry.path("tempFiles").path("wouldRemove").path("count").asLong()).isEqualTo(1);
    assertThat(exists(layer + "/z/0.png")).isTrue();
    assertThat(leftover).exists();

    TaskCommand first = commands.send("maintenance.cache_cleanup", params.formatted(""));
    TaskCommand second = commands.send("maintenance.cache_cleanup", params.formatted(""));
    JsonNode a = succeeded(first, 1);
    JsonNode b = succeeded(second, 1);

    assertThat(
            a.path("tempFiles").path("removed").path("count").asLong()
                + b.path("tempFiles").path("removed").path("count").asLong())
        .isEqualTo(1);
    for (int n = 0; n < 30; n++) {
      assertThat(exists(layer + "/z/" + n + ".png")).isFalse();
    }
    assertThat(leftover).doesNotExist();
  }

  private Path tempFile(String name, int size, Instant modified) throws IOException {
    Files.createDirectories(tempDir);
    Path file = Files.write(tempDir.resolve(name), new byte[size]);
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  /** A stored simulation run whose report is {@code key}; returns the run's job id. */
  private UUID linkedRun(String key) throws SQLException {
    UUID run = UUID.randomUUID();
    execute(
        "INSERT INTO worker.simulation_runs (job_id, owner, scenario_id, params, seed, runs,"
            + " horizon_years, mean, std_dev, min_loss, max_loss, p5, p50, p95, p99,"
            + " probability_of_loss, histogram, lineage, finished_at) VALUES ('"
            + run
            + "', 'alice', 'prune', '{}', 's', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]', '{}', now())");
    execute(
        "INSERT INTO worker.simulation_run_artifacts (run_job_id, name, job_id, content_type, size,"
            + " sha256, storage_key, lineage) VALUES ('"
            + run
            + "', 'report.pdf', '"
            + UUID.randomUUID()
            + "', 'application/pdf', 1000, 'x', '"
            + key
            + "', '{}')");
    return run;
  }

  private void execute(String sql) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        Statement statement = conn.createStatement()) {
      statement.execute(sql);
    }
  }

  private String single(String sql) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        Statement statement = conn.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
