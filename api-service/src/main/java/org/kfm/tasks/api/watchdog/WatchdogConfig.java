package org.kfm.tasks.api.watchdog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kfm.watchdog")
public interface WatchdogConfig {
  /**
   * A running attempt without a heartbeat for this long is lost. Keep it several worker heartbeat
   * intervals (5 s by default) above the projection lag you expect.
   */
  @WithDefault("60s")
  Duration lease();

  /** Pause between watchdog passes. */
  @WithDefault("5s")
  Duration interval();
}
