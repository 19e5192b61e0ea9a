package org.kfm.tasks.worker.tasks.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * ml.retrain and ml.batch_inference through the real worker, broker and database, on simulation
 * runs stored as analysis.run_simulation stores them. Each test has an owner of its own, so each
 * sees only its own runs and models.
 */
@QuarkusTest
class MlTasksTest {
  private static final int RUNS = 40;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject DataSource dataSource;
  @Inject ArtifactStore store;

  private KafkaTestClient kafka;
  private MlJobs jobs;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
    jobs = new MlJobs(kafka);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private void givenRuns(String owner, int count) throws SQLException {
    SimulatedRuns.insert(
        dataSource, owner, owner + "-scenario", SimulatedRuns.generate(owner, count, 5));
  }

  private JobEvent retrain(TaskCommand command) {
    JobEvent outcome = jobs.run(command);
    assertThat(outcome.type()).as("%s", outcome.error()).isEqualTo(JobEventType.SUCCEEDED);
    return outcome;
  }

  @Test
  void aRetrainStoresAVersionedModelThatPredictsHeldOutRunsAndARerunKeepsOneVersion()
      throws Exception {
    String owner = "ml-retrain";
    givenRuns(owner, RUNS);
    TaskCommand command =
        jobs.command(
            "ml.retrain", owner, "{\"model\":\"loss-p95\",\"target\":\"p95\",\"seed\":42}");

    JobEvent first = retrain(command);

    JsonNode result = first.result();
    assertThat(result.path("version").asInt()).isEqualTo(1);
    assertThat(result.path("promoted").asBoolean()).isTrue();
    JsonNode holdout = result.path("metrics").path("holdout");
    assertThat(holdout.path("r2").asDouble()).isGreaterThan(0.9);
    assertThat(holdout.path("rmse").asDouble()).isPositive();
    assertThat(result.path("metrics").path("trainRows").asInt()).isEqualTo(30);
    assertThat(result.path("metrics").path("testRows").asInt()).isEqualTo(10);
    assertThat(first.artifacts())
        .extracting(ArtifactRef::name)
        .containsExactlyInAnyOrder("model-v1.bin", "metrics.json");
    ArtifactRef model = artifact(first, "model-v1.bin");
    ArtifactRef metrics = artifact(first, "metrics.json");
    JsonNode metricsFile =
        Wire.fromJson(new String(read(metrics), StandardCharsets.UTF_8), JsonNode.class);
    assertThat(metricsFile.path("metrics").path("holdout").path("r2").asDouble())
        .isEqualTo(holdout.path("r2").asDouble());

    List<String> row =
        row(
            "SELECT version, promoted, artifact_key, sha256, artifact_size, dataset_version,"
                + " lineage -> 'input_dataset_versions' ->> 'simulation_runs', metrics::text"
                + " FROM worker.ml_models WHERE job_id = ?",
            command.jobId());
    assertThat(row.get(0)).isEqualTo("1");
    assertThat(row.get(1)).isEqualTo("t");
    assertThat(row.get(2)).isEqualTo(model.key());
    assertThat(row.get(3)).isEqualTo(model.sha256());
    assertThat(Long.parseLong(row.get(4))).isEqualTo(model.size()).isEqualTo(read(model).length);
    assertThat(row.get(5)).startsWith("simulation_runs:40:").isEqualTo(row.get(6));
    assertThat(Wire.fromJson(row.get(7), JsonNode.class).path("holdout").path("r2").asDouble())
        .isEqualTo(holdout.path("r2").asDouble());

    JobEvent again = jobs.run(command, 2);

    assertThat(again.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(again.result().path("version").asInt()).isEqualTo(1);
    assertThat(again.result().path("metrics")).isEqualTo(result.path("metrics"));
    assertThat(
            row(
                "SELECT count(*), max(version) FROM worker.ml_models WHERE owner = ? AND name = ?",
                owner,
                "loss-p95"))
        .containsExactly("1", "1");
  }

  @Test
  void aClearlyWorseRetrainIsStoredButNotPromotedAndTheResultSaysWhy() throws Exception {
    String owner = "ml-promotion";
    givenRuns(owner, RUNS);
    TaskCommand good = jobs.command("ml.retrain", owner, "{\"model\":\"loss\"}");
    assertThat(retrain(good).result().path("promoted").asBoolean()).isTrue();

    // Four runs to learn from, no slack: the promoted version, scored on the same held-out runs,
    // is better.
    TaskCommand worse =
        jobs.command(
            "ml.retrain",
            owner,
            "{\"model\":\"loss\",\"test_fraction\":0.9,\"promotion_margin\":0}");
    JsonNode result = retrain(worse).result();

    assertThat(result.path("version").asInt()).isEqualTo(2);
    assertThat(result.path("promoted").asBoolean()).isFalse();
    assertThat(result.path("promotionReason").asText()).contains("v1 stays promoted");
    JsonNode champion = result.path("metrics").path("champion");
    assertThat(champion.path("version").asInt()).isEqualTo(1);
    assertThat(result.path("metrics").path("holdout").path("rmse").asDouble())
        .isGreaterThan(champion.path("rmse").asDouble());
    assertThat(
            row(
                "SELECT string_agg(version || ':' || promoted, ',' ORDER BY version)"
                    + " FROM worker.ml_models WHERE owner = ? AND name = ?",
                owner,
                "loss"))
        .containsExactly("1:true,2:false");
  }

  @Test
  void batchInferenceScoresTheOwnersRunsWithThePromotedVersionTheSameWayEachTime()
      throws Exception {
    String owner = "ml-inference";
    givenRuns(owner, RUNS);
    TaskCommand trained = jobs.command("ml.retrain", owner, "{\"model\":\"surrogate\"}");
    retrain(trained);
    TaskCommand inference = jobs.command("ml.batch_inference", owner, "{\"model\":\"surrogate\"}");

    JobEvent first = jobs.run(inference);

    assertThat(first.type()).as("%s", first.error()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(first.result().path("rows").asInt()).isEqualTo(RUNS);
    assertThat(first.result().path("version").asInt()).isEqualTo(1);
    assertThat(first.result().path("errorVsActual").path("r2").asDouble()).isGreaterThan(0.9);
    String predictions =
        "SELECT count(*), string_agg(predicted::text || '/' || actual::text, ','"
            + " ORDER BY run_job_id), min(lineage -> 'model' ->> 'version'),"
            + " min(lineage -> 'model' ->> 'jobId') FROM worker.ml_predictions"
            + " WHERE owner = ? AND model_name = ? AND model_version = 1";
    List<String> before = row(predictions, owner, "surrogate");
    assertThat(before.get(0)).isEqualTo(String.valueOf(RUNS));
    assertThat(before.get(2)).isEqualTo("1");
    assertThat(before.get(3)).isEqualTo(trained.jobId().toString());

    JobEvent again = jobs.run(inference, 2);

    assertThat(again.result()).isEqualTo(first.result());
    assertThat(row(predictions, owner, "surrogate")).isEqualTo(before);

    JobEvent export =
        jobs.run(
            jobs.command(
                "exports.dataset", owner, "{\"dataset\":\"ml_predictions\",\"format\":\"csv\"}"));
    assertThat(export.type()).as("%s", export.error()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(export.result().path("rows").asInt()).isEqualTo(RUNS);
    String csv = new String(read(export.artifacts().get(0)), StandardCharsets.UTF_8);
    assertThat(csv.split("\r\n")[0])
        .isEqualTo(
            "model_name,model_version,run_job_id,scenario_id,target,predicted,actual,error,"
                + "inference_job_id,model_job_id,pipeline_run_id");
    assertThat(csv).contains("surrogate,1,").contains(trained.jobId().toString());
  }

  @Test
  void anUnknownModelFailsForGood() {
    JobEvent outcome =
        jobs.run(jobs.command("ml.batch_inference", "ml-nobody", "{\"model\":\"never-trained\"}"));

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("MODEL_NOT_FOUND");
    assertThat(outcome.error().retryable()).isFalse();
    assertThat(outcome.error().message()).contains("never-trained");
  }

  @Test
  void tooFewRunsFailForGoodWithWhatIsMissing() throws Exception {
    givenRuns("ml-few", 12);

    JobEvent outcome = jobs.run(jobs.command("ml.retrain", "ml-few", "{\"model\":\"loss\"}"));

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("NOT_ENOUGH_DATA");
    assertThat(outcome.error().retryable()).isFalse();
    assertThat(outcome.error().message()).contains("only 12").contains("min_rows=30");
  }

  private static ArtifactRef artifact(JobEvent event, String name) {
    return event.artifacts().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }

  private byte[] read(ArtifactRef artifact) throws Exception {
    try (InputStream in = store.open(artifact.key(), 0, artifact.size())) {
      return in.readAllBytes();
    }
  }

  private List<String> row(String sql, Object... binds) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement statement = conn.prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        statement.setObject(i + 1, binds[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        assertThat(result.next()).isTrue();
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          values.add(result.getString(i));
        }
        return values;
      }
    }
  }
}
