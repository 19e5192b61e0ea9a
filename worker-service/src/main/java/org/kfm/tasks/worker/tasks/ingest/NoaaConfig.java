package org.kfm.tasks.worker.tasks.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where the NWS-style forecast API is and how much of it a pull trusts. */
@ConfigMapping(prefix = "kfm.ingest.noaa")
public interface NoaaConfig {
  /** The API root; tests and air-gapped sites point it at their own server. */
  @WithDefault("https://api.weather.gov")
  URI baseUrl();

  /** The NWS API refuses anonymous clients: name the application and a contact. */
  @WithDefault("kfm-tasks (ops@example.org)")
  String userAgent();

  @WithDefault("5s")
  Duration connectTimeout();

  /**
   * From sending the request to the last byte of the body; the attempt's own deadline shortens it.
   */
  @WithDefault("30s")
  Duration readTimeout();

  /** A body longer than this is refused without reading the rest (a real forecast is ~20 kB). */
  @WithDefault("2097152")
  long maxResponseBytes();

  /** The longest Retry-After taken at its word; a longer one is cut to this. */
  @WithDefault("15m")
  Duration maxRetryAfter();
}
