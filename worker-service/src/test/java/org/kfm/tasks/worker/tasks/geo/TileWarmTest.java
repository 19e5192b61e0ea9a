package org.kfm.tasks.worker.tasks.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.JobEventType;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileKeys;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * {@code geo.tile_cache_warm} through the real worker: a command on the broker warms the {@code
 * simulation_sites} layer from the worker's schema into the artifact store, draws a stored run's
 * site where it lies, and a rerun writes nothing.
 */
@QuarkusTest
class TileWarmTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String LAYER = "simulation_sites";
  // Santiago de Chile: no other test puts a site near it.
  private static final double SITE_LON = -70.6693;
  private static final double SITE_LAT = -33.4489;
  private static final String WARM =
      "{\"layer\":\"simulation_sites\",\"bbox\":{\"west\":-70.68,\"south\":-33.46,\"east\":-70.66,"
          + "\"north\":-33.44},\"min_zoom\":13,\"max_zoom\":14}";
  // z13: x 2487..2488, y 4904; z14: x 4975..4976, y 9808..9809 (worked out by hand).
  private static final Tile[] TILES = {
    new Tile(13, 2487, 4904), new Tile(13, 2488, 4904),
    new Tile(14, 4975, 9808), new Tile(14, 4976, 9808),
    new Tile(14, 4975, 9809), new Tile(14, 4976, 9809)
  };
  private static final Tile SITE_TILE = new Tile(14, 4975, 9808);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject DataSource dataSource;
  @Inject ArtifactStore store;

  private KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka = new KafkaTestClient(bootstrap);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  private TaskCommand send(String params) {
    TaskCommand command = aCommand().forTask("geo.tile_cache_warm").withParams(params).build();
    kafka.send("kfm.tasks.io-heavy", command.jobId().toString(), Wire.toJson(command));
    return command;
  }

  private JobEvent outcome(UUID jobId) {
    var records =
        kafka.await(
            Topics.JOB_EVENTS,
            r ->
                r.key().equals(jobId.toString())
                    && (r.value().contains("\"type\":\"succeeded\"")
                        || r.value().contains("\"type\":\"failed\"")),
            1,
            WAIT);
    return Wire.fromJson(records.get(0).value(), JobEvent.class);
  }

  private void aRunLocatedAtTheSite() throws Exception {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement insert =
            conn.prepareStatement(
                "INSERT INTO worker.simulation_runs (job_id, owner, scenario_id, params, seed, runs,"
                    + " horizon_years, mean, std_dev, min_loss, max_loss, p5, p50, p95, p99,"
                    + " probability_of_loss, histogram, site_lon, site_lat, lineage, finished_at)"
                    + " VALUES (?, 'geo-test', 'tiles', '{}', '1', 1000, 1, 1, 1, 0, 2, 0, 1, 2, 2,"
                    + " 0.5, '[]', ?, ?, '{}', now())")) {
      insert.setObject(1, UUID.randomUUID());
      insert.setDouble(2, SITE_LON);
      insert.setDouble(3, SITE_LAT);
      insert.executeUpdate();
    }
  }

  @Test
  void aWarmDrawsTheSitesTilesAndARerunWritesNothing() throws Exception {
    aRunLocatedAtTheSite();
    // Tiles outlive a test run in target/test-artifacts: start from none.
    for (Tile tile : TILES) {
      store.deleteAll(TileKeys.of(LAYER, tile));
    }

    JobEvent first = outcome(send(WARM).jobId());

    assertThat(first.type()).as("%s", first.error()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(first.result().path("tiles").asLong()).isEqualTo(6);
    assertThat(first.result().path("produced").asLong()).isEqualTo(6);
    assertThat(first.result().path("skipped").asLong()).isZero();
    for (Tile tile : TILES) {
      assertThat(store.size(TileKeys.of(LAYER, tile))).as("%s", tile).isPresent();
    }
    BufferedImage image;
    try (InputStream in = store.open(TileKeys.of(LAYER, SITE_TILE), 0, Long.MAX_VALUE)) {
      image = ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
    }
    // x 4975.7616 -> pixel 194, y 9808.9522 -> pixel 243.
    assertThat(image.getRGB(194, 243)).isEqualTo(0xFF000000 | SiteTileRenderer.DOT_RGB);
    assertThat(image.getRGB(20, 20) >>> 24).isZero();
    long firstBytes = store.size(TileKeys.of(LAYER, SITE_TILE)).getAsLong();

    JobEvent rerun = outcome(send(WARM).jobId());

    assertThat(rerun.type()).isEqualTo(JobEventType.SUCCEEDED);
    assertThat(rerun.result().path("produced").asLong()).isZero();
    assertThat(rerun.result().path("skipped").asLong()).isEqualTo(6);
    assertThat(rerun.result().path("message").asText())
        .isEqualTo("all 6 tiles were already cached; nothing written");
    assertThat(store.size(TileKeys.of(LAYER, SITE_TILE)).getAsLong()).isEqualTo(firstBytes);
  }

  @Test
  void tooManyTilesFailForGoodBeforeAnythingIsMade() {
    JobEvent outcome =
        outcome(
            send("{\"layer\":\"simulation_sites\",\"bbox\":{\"west\":-180,\"south\":-85,"
                    + "\"east\":180,\"north\":85},\"min_zoom\":0,\"max_zoom\":18}")
                .jobId());

    assertThat(outcome.type()).isEqualTo(JobEventType.FAILED);
    assertThat(outcome.error().code()).isEqualTo("INVALID_TILE_REQUEST");
    assertThat(outcome.error().retryable()).isFalse();
    assertThat(outcome.error().message()).contains("/params/bbox").contains("limit is 20,000");
  }
}
