package org.kfm.tasks.api.tile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Warmed map tiles as the api sees them ({@code kfm.tiles.*}): which layers exist (the same {@code
 * layers} block the workers read), how many tiles one warm job may cover, how long clients may
 * cache a tile.
 */
@ConfigMapping(prefix = "kfm.tiles")
public interface TilesConfig {
  /** The most tiles one {@code geo.tile_cache_warm} job may cover; larger requests get 400. */
  @WithDefault("20000")
  long maxTilesPerJob();

  /** {@code Cache-Control: public, max-age} of a served tile. */
  @WithDefault("1h")
  Duration cacheMaxAge();

  /** The most bytes of a stored tile the api serves; tiles are small, this only guards memory. */
  @WithDefault("4194304")
  int maxTileBytes();

  /** The layers by name; the api needs their names, the workers the rest. */
  Map<String, Layer> layers();

  interface Layer {
    /** {@code xyz} or {@code dataset}. */
    String kind();

    Optional<String> urlTemplate();

    Optional<String> dataset();
  }
}
