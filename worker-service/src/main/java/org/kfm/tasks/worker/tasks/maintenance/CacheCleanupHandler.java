package org.kfm.tasks.worker.tasks.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;

/**
 * {@code maintenance.cache_cleanup}: deletes this replica's leftover temporary artifact files, then
 * cached tiles ({@code tiles/...} in the artifact store) last written before their retention. Tiles
 * are a cache: the tile warmer writes them again when asked, so nothing records them and nothing
 * else needs telling.
 */
@ApplicationScoped
public class CacheCleanupHandler implements TaskHandler {
  static final String TASK = "maintenance.cache_cleanup";
  static final String TILES = "tiles/";
  static final Duration MIN_TEMP_AGE = Duration.ofHours(1);
  private static final Logger LOG = Logger.getLogger(CacheCleanupHandler.class);

  private final ArtifactStore store;
  private final MaintenanceMetrics metrics;
  private final Path tempDir;

  public CacheCleanupHandler(
      ArtifactStore store,
      MaintenanceMetrics metrics,
      @ConfigProperty(name = "kfm.artifacts.temp-dir") Path tempDir) {
    this.store = store;
    this.metrics = metrics;
    this.tempDir = tempDir;
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public JsonNode run(TaskContext context) throws Exception {
    JsonNode p = context.params();
    Duration tileAge = Duration.ofHours(p.path("tiles_older_than_hours").asInt(168));
    Duration tempAge = Duration.ofMinutes(p.path("temp_older_than_minutes").asInt(60));
    // The spec says so too; this guards a running write against a command from elsewhere.
    if (tempAge.compareTo(MIN_TEMP_AGE) < 0 || tileAge.toHours() < 1) {
      throw TaskFailure.permanent(
          "INVALID_PARAMS",
          "temp_older_than_minutes must be at least 60 and tiles_older_than_hours at least 1");
    }
    SweepLimits limits = SweepLimits.of(context);
    Instant now = Instant.now();

    context.step("sweep temporary files");
    Instant tempCutoff = now.minus(tempAge);
    StoreSweep.Outcome temp = new TempFileSweep(tempDir, limits).run(tempCutoff);

    StoreSweep.Outcome tiles = StoreSweep.Outcome.NOT_RUN;
    Instant tileCutoff = now.minus(tileAge);
    if (temp.complete()) {
      context.step("sweep " + TILES);
      try {
        tiles = new StoreSweep(store, limits).run(TILES, tileCutoff, keys -> {});
      } catch (IOException | UncheckedIOException e) {
        throw TaskFailure.transientFailure(
            "STORE_UNAVAILABLE",
            "the " + store.kind() + " artifact store failed: " + e.getMessage());
      }
    }
    if (!limits.dryRun()) {
      metrics.files(TASK, "temp-files", temp.removed());
      metrics.files(TASK, "tiles", tiles.removed());
    }
    LOG.infof(
        "job=%s %s %d temporary files (%d bytes) in %s and %d tiles (%d bytes) under %s%s",
        context.jobId(),
        limits.dryRun() ? "dry run: would remove" : "removed",
        temp.removed().count(),
        temp.removed().bytes(),
        tempDir,
        tiles.removed().count(),
        tiles.removed().bytes(),
        TILES,
        temp.complete() && tiles.complete() ? "" : "; stopped early, the next run carries on");
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("dryRun", limits.dryRun());
    result.put("complete", temp.complete() && tiles.complete());
    ObjectNode tempJson = temp.toJson(limits.dryRun());
    tempJson.put("folder", tempDir.toAbsolutePath().toString());
    tempJson.put("cutoff", tempCutoff.toString());
    result.set("tempFiles", tempJson);
    ObjectNode tilesJson = tiles.toJson(limits.dryRun());
    tilesJson.put("prefix", TILES);
    tilesJson.put("cutoff", tileCutoff.toString());
    result.set("tiles", tilesJson);
    return result;
  }
}
