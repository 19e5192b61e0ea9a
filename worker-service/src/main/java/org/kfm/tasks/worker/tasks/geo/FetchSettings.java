package org.kfm.tasks.worker.tasks.geo;

import java.time.Duration;

/** How one layer's upstream is asked for tiles; see {@link TilesConfig.Fetch}. */
record FetchSettings(
    Duration connectTimeout,
    Duration timeout,
    int maxBytes,
    int attempts,
    Duration retryDelay,
    Duration maxRetryAfter,
    String userAgent) {

  static FetchSettings of(TilesConfig.Fetch fetch) {
    return new FetchSettings(
        fetch.connectTimeout(),
        fetch.timeout(),
        fetch.maxBytes(),
        Math.max(1, fetch.attempts()),
        fetch.retryDelay(),
        fetch.maxRetryAfter(),
        fetch.userAgent());
  }
}
