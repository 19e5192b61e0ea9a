package org.kfm.tasks.worker.tasks.geo;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.geo.TileKeys;
import org.kfm.tasks.contracts.geo.TileWarmRequest;

/**
 * The configured layers, checked at startup (a bad name, kind, template or dataset stops the worker
 * instead of failing jobs later), and the source of each layer's tiles for one job.
 */
@ApplicationScoped
@Startup
public class TileLayers {
  private static final Logger LOG = Logger.getLogger(TileLayers.class);

  private final TilesConfig config;
  private final DataSource dataSource;
  private final MeterRegistry registry;
  private final FetchSettings fetch;
  private final Map<String, TilesConfig.Layer> layers;
  private final Map<String, HttpClient> clients = new TreeMap<>();

  public TileLayers(TilesConfig config, DataSource dataSource, MeterRegistry registry) {
    this.config = config;
    this.dataSource = dataSource;
    this.registry = registry;
    this.fetch = FetchSettings.of(config.fetch());
    this.layers = new TreeMap<>(config.layers());
    layers.forEach(this::check);
    LOG.infof("tile layers: %s", describe());
  }

  private void check(String name, TilesConfig.Layer layer) {
    if (!TileKeys.LAYER_NAME.matcher(name).matches()) {
      throw new IllegalStateException(
          "tile layer name '" + name + "' must match " + TileKeys.LAYER_NAME.pattern());
    }
    switch (layer.kind()) {
      case XYZ -> {
        String template =
            layer
                .urlTemplate()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "kfm.tiles.layers." + name + ".url-template is required for kind xyz"));
        UpstreamTiles.checkedTemplate(name, template);
        clients.put(name, UpstreamTiles.client(fetch));
      }
      case DATASET -> {
        if (!SiteTiles.DATASET.equals(layer.dataset())) {
          throw new IllegalStateException(
              "kfm.tiles.layers."
                  + name
                  + ".dataset: unknown dataset '"
                  + layer.dataset()
                  + "'; the worker draws "
                  + SiteTiles.DATASET);
        }
      }
    }
  }

  public Set<String> names() {
    return layers.keySet();
  }

  TilesConfig.Kind kindOf(String name) {
    return layers.get(name).kind();
  }

  /** The tiles of a layer for one job; a dataset layer reads its points now. */
  TileSource open(String name, TileWarmRequest request, Instant deadline) throws SQLException {
    TilesConfig.Layer layer = layers.get(name);
    return switch (layer.kind()) {
      case XYZ ->
          new UpstreamTiles(
              name,
              layer.urlTemplate().orElseThrow(),
              clients.get(name),
              fetch,
              registry,
              deadline);
      case DATASET -> SiteTiles.load(dataSource, request, config.datasetMaxPoints());
    };
  }

  private String describe() {
    StringBuilder text = new StringBuilder();
    layers.forEach(
        (name, layer) ->
            text.append(text.length() == 0 ? "" : ", ")
                .append(name)
                .append(" (")
                .append(layer.kind().name().toLowerCase(Locale.ROOT))
                .append(layer.kind() == TilesConfig.Kind.XYZ ? " " + hostOf(layer) : "")
                .append(")"));
    return text.length() == 0 ? "none" : text.toString();
  }

  /** The host only: a template may carry an API key in its query. */
  private static String hostOf(TilesConfig.Layer layer) {
    return java.net
        .URI
        .create(
            UpstreamTiles.urlOf(
                layer.urlTemplate().orElseThrow(), new org.kfm.tasks.contracts.geo.Tile(0, 0, 0)))
        .getHost();
  }
}
