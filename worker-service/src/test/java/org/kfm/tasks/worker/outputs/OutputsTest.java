package org.kfm.tasks.worker.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
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
 * Outputs that last, through the real worker: a simulation stores its run once whatever the
 * redeliveries, a report of it is a stored PDF with the same bytes each time, and exports stream
 * the runs into CSV and GeoJSON artifacts.
 */
@QuarkusTest
class OutputsTest {
  private static final String SIMULATION =
      "{\"scenario_id\":\"%s\",\"runs\":2000,\"annual_event_rate\":2,\"severity\":{\"mu\":0,\"sigma\":1},\"bins\":8%s}";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject DataSource dataSource;
  @Inject ArtifactStore store;

  private KafkaTestClient kafka;
  private Commands commands;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
    commands = new Commands(kafka);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private TaskCommand simulate(String scenario, String extra) {
    TaskCommand command =
        aCommand()
            .forTask("analysis.run_simulation")
            .withParams(String.format(SIMULATION, scenario, extra))
            .withLineage("{\"pipeline_run_id\":\"nightly-42\",\"traceId\":\"abc123\"}")
            .build();
    commands.send(command);
    assertThat(commands.outcome(command.jobId(), 1).type()).isEqualTo(JobEventType.SUCCEEDED);
    return command;
  }

  @Test
  void aSimulationStoresOneRunWithLineageAndARedeliveryLeavesOneRow() throws Exception {
    TaskCommand command = simulate("outputs-once", "");
    String firstFinish =
        single(
            "SELECT finished_at::text FROM worker.simulation_runs WHERE job_id = '"
                + command.jobId()
                + "'");

    commands.send(command);
    assertThat(commands.outcome(command.jobId(), 2).type()).isEqualTo(JobEventType.SUCCEEDED);

    assertThat(
            single(
                "SELECT count(*) FROM worker.simulation_runs WHERE job_id = '"
                    + command.jobId()
                    + "'"))
        .isEqualTo("1");
    assertThat(
            single(
                "SELECT finished_at::text FROM worker.simulation_runs WHERE job_id = '"
                    + command.jobId()
                    + "'"))
        .isEqualTo(firstFinish);
    JsonNode lineage =
        Wire.fromJson(
            single(
                "SELECT lineage::text FROM worker.simulation_runs WHERE job_id = '"
                    + command.jobId()
                    + "'"),
            JsonNode.class);
    assertThat(lineage.path("jobId").asText()).isEqualTo(command.jobId().toString());
    assertThat(lineage.path("task").asText()).isEqualTo("analysis.run_simulation");
    assertThat(lineage.path("attempt").asInt()).isEqualTo(1);
    assertThat(lineage.path("pipeline_run_id").asText()).isEqualTo("nightly-42");
    assertThat(lineage.path("traceId").asText()).isEqualTo("abc123");
    assertThat(
            single(
                "SELECT count(*) FROM worker.job_outputs WHERE job_id = '" + command.jobId() + "'"))
        .isEqualTo("1");
  }

  @Test
  void aReportIsAStoredPdfOfTheRunAndARerunGivesTheSameBytes() throws Exception {
    TaskCommand run = simulate("outputs-report", "");
    TaskCommand report =
        commands.send("exports.simulation_report", "{\"run_job_id\":\"" + run.jobId() + "\"}");
    JobEvent first = commands.outcome(report.jobId(), 1);
    assertThat(first.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(first.artifacts()).hasSize(1);
    ArtifactRef pdf = first.artifacts().get(0);
    assertThat(pdf.name()).isEqualTo("report.pdf");
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
    assertThat(pdf.key()).isEqualTo("jobs/" + report.jobId() + "/report.pdf");
    byte[] bytes = read(pdf);
    assertThat(bytes).hasSize((int) pdf.size());
    assertThat(sha256(bytes)).isEqualTo(pdf.sha256());
    try (var document = Loader.loadPDF(bytes)) {
      String text = new PDFTextStripper().getText(document);
      assertThat(text).contains("outputs-report").contains(run.jobId().toString());
      String mean =
          single("SELECT mean FROM worker.simulation_runs WHERE job_id = '" + run.jobId() + "'");
      assertThat(text)
          .contains(String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(mean)));
      assertThat(text).contains("nightly-42");
    }

    commands.send(report);
    JobEvent second = commands.outcome(report.jobId(), 2);
    assertThat(second.artifacts()).hasSize(1);
    assertThat(second.artifacts().get(0).sha256()).isEqualTo(pdf.sha256());
    assertThat(read(pdf)).isEqualTo(bytes);
    assertThat(
            single(
                "SELECT count(*) FROM worker.simulation_run_artifacts WHERE run_job_id = '"
                    + run.jobId()
                    + "'"))
        .isEqualTo("1");
  }

  @Test
  void anotherUsersRunIsNeitherReportedNorExported() {
    TaskCommand run = simulate("outputs-private-" + UUID.randomUUID(), "");
    JobEvent report =
        commands.outcome(
            commands
                .send(
                    aCommand()
                        .forTask("exports.simulation_report")
                        .ownedBy("mallory")
                        .withParams("{\"run_job_id\":\"" + run.jobId() + "\"}")
                        .build())
                .jobId(),
            1);
    assertThat(report.error().code()).isEqualTo("RUN_NOT_FOUND");

    JobEvent export =
        commands.outcome(
            commands
                .send(
                    aCommand()
                        .forTask("exports.dataset")
                        .ownedBy("mallory")
                        .withParams(
                            "{\"dataset\":\"simulation_runs\",\"format\":\"csv\",\"filters\":{\"ids\":[\""
                                + run.jobId()
                                + "\"]}}")
                        .build())
                .jobId(),
            1);
    assertThat(export.error().code()).isEqualTo("EMPTY_EXPORT");
  }

  @Test
  void aReportOfAnUnknownRunFailsForGood() {
    TaskCommand report =
        commands.send(
            "exports.simulation_report", "{\"run_job_id\":\"" + UUID.randomUUID() + "\"}");
    JobEvent outcome = commands.outcome(report.jobId(), 1);
    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("RUN_NOT_FOUND");
    assertThat(outcome.error().retryable()).isFalse();
  }

  @Test
  void runsExportToCsvAndLocatedRunsToGeoJson() throws Exception {
    String scenario = "outputs-export-" + UUID.randomUUID();
    TaskCommand located = simulate(scenario, ",\"site\":{\"lon\":24.94,\"lat\":60.17}");
    TaskCommand unlocated = simulate(scenario, "");
    String filters = "\"filters\":{\"scenario_id\":\"" + scenario + "\"}";

    JobEvent csv =
        commands.outcome(
            commands
                .send(
                    "exports.dataset",
                    "{\"dataset\":\"simulation_runs\",\"format\":\"csv\"," + filters + "}")
                .jobId(),
            1);
    assertThat(csv.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(csv.result().path("rows").asLong()).isEqualTo(2);
    String text = new String(read(csv.artifacts().get(0)), StandardCharsets.UTF_8);
    String[] lines = text.split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("job_id,scenario_id,runs,horizon_years,seed,mean");
    assertThat(text).contains(located.jobId().toString()).contains(unlocated.jobId().toString());
    assertThat(text).contains("nightly-42").contains("24.94");

    JobEvent geojson =
        commands.outcome(
            commands
                .send(
                    "exports.dataset",
                    "{\"dataset\":\"simulation_runs\",\"format\":\"geojson\"," + filters + "}")
                .jobId(),
            1);
    assertThat(geojson.artifacts().get(0).contentType()).isEqualTo("application/geo+json");
    JsonNode collection =
        Wire.fromJson(
            new String(read(geojson.artifacts().get(0)), StandardCharsets.UTF_8), JsonNode.class);
    assertThat(collection.path("type").asText()).isEqualTo("FeatureCollection");
    assertThat(collection.path("features")).hasSize(2);
    JsonNode point = null;
    for (JsonNode feature : collection.path("features")) {
      assertThat(feature.path("type").asText()).isEqualTo("Feature");
      assertThat(feature.path("properties").has("site_lon")).isFalse();
      if (!feature.path("geometry").isNull()) {
        point = feature.path("geometry");
      }
    }
    assertThat(point).isNotNull();
    assertThat(point.path("type").asText()).isEqualTo("Point");
    assertThat(point.path("coordinates").get(0).asDouble()).isEqualTo(24.94);
    assertThat(point.path("coordinates").get(1).asDouble()).isEqualTo(60.17);

    JobEvent bins =
        commands.outcome(
            commands
                .send(
                    "exports.dataset",
                    "{\"dataset\":\"simulation_bins\",\"format\":\"csv\"," + filters + "}")
                .jobId(),
            1);
    assertThat(bins.result().path("rows").asLong()).isEqualTo(16);
  }

  @Test
  void anEmptyExportFailsEarlyUnlessAllowed() {
    String filters = "\"filters\":{\"scenario_id\":\"nothing-" + UUID.randomUUID() + "\"}";
    JobEvent refused =
        commands.outcome(
            commands
                .send(
                    "exports.dataset",
                    "{\"dataset\":\"simulation_runs\",\"format\":\"csv\"," + filters + "}")
                .jobId(),
            1);
    assertThat(refused.type()).isEqualTo(JobEventType.FAILED);
    assertThat(refused.error().code()).isEqualTo("EMPTY_EXPORT");
    assertThat(refused.error().retryable()).isFalse();
    assertThat(refused.artifacts()).isEmpty();

    JobEvent allowed =
        commands.outcome(
            commands
                .send(
                    "exports.dataset",
                    "{\"dataset\":\"simulation_runs\",\"format\":\"csv\",\"allow_empty\":true,"
                        + filters
                        + "}")
                .jobId(),
            1);
    assertThat(allowed.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(allowed.result().path("rows").asLong()).isZero();
  }

  private byte[] read(ArtifactRef artifact) throws Exception {
    try (InputStream in = store.open(artifact.key(), 0, artifact.size())) {
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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
