package org.kfm.tasks.worker.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * A million-row CSV export in the worker's test JVM, whose heap is capped (surefire's {@code -Xmx}
 * in this module's pom): held in memory the rows would need several times that heap. Records the
 * rate and the heap that survived collections (the old generation's peak) in {@code
 * target/large-export.txt}.
 */
@QuarkusTest
class LargeExportTest {
  private static final Logger LOG = Logger.getLogger(LargeExportTest.class);
  private static final int ROWS = 1_000_000;
  private static final String OWNER = "bulk-owner";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject DataSource dataSource;
  @Inject ArtifactStore store;

  @Test
  void aMillionRowsStreamToCsvInABoundedHeap() throws Exception {
    String scenario = "bulk-" + UUID.randomUUID();
    try (Connection conn = dataSource.getConnection();
        Statement statement = conn.createStatement()) {
      statement.execute(
          "INSERT INTO worker.simulation_runs (job_id, owner, scenario_id, params, seed, runs,"
              + " horizon_years, mean, std_dev, min_loss, max_loss, p5, p50, p95, p99,"
              + " probability_of_loss, histogram, site_lon, site_lat, lineage, finished_at)"
              + " SELECT gen_random_uuid(), '"
              + OWNER
              + "', '"
              + scenario
              + "', '{}', i::text, 1000, 1, random() * 10, random(), 0, random() * 100, 0,"
              + " random() * 5, random() * 20, random() * 40, random(), '[]',"
              + " random() * 360 - 180, random() * 180 - 90,"
              + " '{\"pipeline_run_id\":\"bulk, \\\"quoted\\\"\"}',"
              + " now() - make_interval(secs => i) FROM generate_series(1, "
              + ROWS
              + ") i");
    }
    MemoryPoolMXBean oldGen = oldGeneration();
    System.gc();
    oldGen.resetPeakUsage();
    long before = oldGen.getUsage().getUsed();

    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      Commands commands = new Commands(kafka);
      UUID job =
          commands
              .send(
                  aCommand()
                      .forTask("exports.dataset")
                      .ownedBy(OWNER)
                      .withParams(
                          "{\"dataset\":\"simulation_runs\",\"format\":\"csv\",\"filters\":{\"scenario_id\":\""
                              + scenario
                              + "\"}}")
                      .build())
              .jobId();
      JobEvent outcome = commands.outcome(job, 1);
      assertThat(outcome.type()).as("%s", outcome.error()).isEqualTo(JobEventType.SUCCEEDED);
      assertThat(outcome.result().path("rows").asLong()).isEqualTo(ROWS);
      long bytes = outcome.artifacts().get(0).size();
      assertThat(store.size(outcome.artifacts().get(0).key()).getAsLong()).isEqualTo(bytes);

      Duration took = Duration.between(outcome.startedAt(), outcome.at());
      long peak = oldGen.getPeakUsage().getUsed();
      long maxHeap = Runtime.getRuntime().maxMemory();
      String line =
          String.format(
              "%,d rows, %,d bytes in %d ms: %,.0f rows/s; old generation %d MB before, peak %d MB;"
                  + " heap limit %d MB",
              ROWS,
              bytes,
              took.toMillis(),
              ROWS * 1000.0 / Math.max(1, took.toMillis()),
              before >> 20,
              peak >> 20,
              maxHeap >> 20);
      LOG.info("large export: " + line);
      Files.writeString(Path.of("target/large-export.txt"), line + System.lineSeparator());
      // A million rows of 18 values held at once would take several hundred MB.
      assertThat(peak - before).isLessThan(64L << 20);
    } finally {
      try (Connection conn = dataSource.getConnection();
          Statement statement = conn.createStatement()) {
        statement.execute(
            "DELETE FROM worker.simulation_runs WHERE scenario_id = '" + scenario + "'");
      }
    }
  }

  private static MemoryPoolMXBean oldGeneration() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
        .findFirst()
        .orElseThrow();
  }
}
