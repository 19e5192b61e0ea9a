package org.kfm.tasks.worker.tasks.geo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How the worker warms tiles ({@code kfm.tiles.*}): limits, upstream fetching, the layers. */
@ConfigMapping(prefix = "kfm.tiles")
public interface TilesConfig {
  /** The most tiles one job may cover; the api refuses larger requests at submit. */
  @WithDefault("20000")
  long maxTilesPerJob();

  /** Tiles made at once by one job (its own small pool). */
  @WithDefault("4")
  int concurrency();

  /** The most located runs a dataset layer loads for one job. */
  @WithDefault("2000000")
  int datasetMaxPoints();

  Fetch fetch();

  /** The layers by name ({@code kfm.tiles.layers.<name>.kind=xyz|dataset}). */
  Map<String, Layer> layers();

  /** How an upstream tile server is asked. */
  interface Fetch {
    @WithDefault("5s")
    Duration connectTimeout();

    /** One tile's whole exchange, headers and body. */
    @WithDefault("20s")
    Duration timeout();

    /** A larger answer is refused: no 256-pixel PNG tile comes near it. */
    @WithDefault("1048576")
    int maxBytes();

    /** Tries per tile on 429, 5xx or a network error before the job fails as retryable. */
    @WithDefault("3")
    int attempts();

    /** The first wait between tries; it doubles each time. */
    @WithDefault("500ms")
    Duration retryDelay();

    /** The longest Retry-After the worker honours within one attempt. */
    @WithDefault("10s")
    Duration maxRetryAfter();

    /** Tile servers' usage policies ask for an identifying User-Agent. */
    @WithDefault("kfm-tasks-tile-warm/1")
    String userAgent();
  }

  interface Layer {
    Kind kind();

    /** xyz: {@code https://host/{z}/{x}/{y}.png}. */
    Optional<String> urlTemplate();

    /** dataset: which platform dataset is drawn; only {@code simulation_sites} exists. */
    @WithDefault("simulation_sites")
    String dataset();
  }

  enum Kind {
    XYZ,
    DATASET
  }
}
