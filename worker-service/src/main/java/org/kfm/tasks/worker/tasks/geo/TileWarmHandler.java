package org.kfm.tasks.worker.tasks.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.contracts.geo.TileRange;
import org.kfm.tasks.contracts.geo.TileWarmRequest;

/**
 * {@code geo.tile_cache_warm}: stores the missing tiles of a layer over a box and zoom range under
 * {@code tiles/{layer}/{z}/{x}/{y}.png}, where the api serves them. The api already refused bad
 * boxes, unknown layers and too many tiles at submit; the same checks run here again, against this
 * worker's configuration, before anything is made.
 */
@ApplicationScoped
public class TileWarmHandler implements TaskHandler {
  private static final Logger LOG = Logger.getLogger(TileWarmHandler.class);

  private final TileLayers layers;
  private final TilesConfig config;
  private final TileWarm warm;

  public TileWarmHandler(
      TileLayers layers, TilesConfig config, ArtifactStore store, MeterRegistry registry) {
    this.layers = layers;
    this.config = config;
    this.warm = new TileWarm(store, registry, config.concurrency());
  }

  @Override
  public String task() {
    return "geo.tile_cache_warm";
  }

  @Override
  public JsonNode run(TaskContext context) throws Exception {
    TileWarmRequest request = TileWarmRequest.of(context.params());
    List<FieldError> problems = request.problems(layers.names(), config.maxTilesPerJob());
    if (!problems.isEmpty()) {
      throw TaskFailure.permanent(
          "INVALID_TILE_REQUEST",
          // One line per message, naming every field it concerns.
          problems.stream()
              .collect(
                  Collectors.groupingBy(
                      FieldError::message,
                      LinkedHashMap::new,
                      Collectors.mapping(FieldError::field, Collectors.joining(", "))))
              .entrySet()
              .stream()
              .map(e -> e.getValue() + ": " + e.getKey())
              .collect(Collectors.joining("; ")));
    }
    List<TileRange> ranges = request.ranges();
    long total = request.tileCount();
    LOG.infof(
        "job=%s layer=%s warming %d tiles at zooms %d..%d (%s)%s",
        context.jobId(),
        request.layer(),
        total,
        request.minZoom(),
        request.maxZoom(),
        ranges,
        request.overwrite() ? ", overwriting cached tiles" : "");
    context.step(layers.kindOf(request.layer()) == TilesConfig.Kind.DATASET ? "load" : "connect");
    TileSource source = layers.open(request.layer(), request, context.deadline());
    if (source instanceof SiteTiles sites) {
      LOG.infof("job=%s layer=%s draws %d sites", context.jobId(), request.layer(), sites.points());
    }
    context.step("warm");
    TileWarm.Outcome outcome =
        warm.run(
            request.layer(),
            source,
            ranges,
            request.overwrite(),
            (done, all) -> context.progress((double) done / all, done + " of " + all + " tiles"),
            context::isCancelled);
    String message =
        outcome.produced() == 0
            ? "all " + outcome.tiles() + " tiles were already cached; nothing written"
            : outcome.produced() + " tiles written, " + outcome.skipped() + " already cached";
    LOG.infof(
        "job=%s layer=%s %s (%d bytes)",
        context.jobId(), request.layer(), message, outcome.bytes());
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("layer", request.layer());
    result.put("minZoom", request.minZoom());
    result.put("maxZoom", request.maxZoom());
    result.put("tiles", outcome.tiles());
    result.put("produced", outcome.produced());
    result.put("skipped", outcome.skipped());
    result.put("bytes", outcome.bytes());
    result.put("message", message);
    result.put("tileUrl", "/api/v1/tiles/" + request.layer() + "/{z}/{x}/{y}.png");
    return result;
  }
}
