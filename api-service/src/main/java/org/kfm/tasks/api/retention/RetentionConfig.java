package org.kfm.tasks.api.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long finished jobs are kept, per final status, counted from when they finished. Durations
 * take {@code 30d}, {@code 12h} or ISO-8601 ({@code P30D}).
 */
@ConfigMapping(prefix = "kfm.retention")
public interface RetentionConfig {
  /** Off: jobs are kept for ever (the loop does not run). */
  @WithDefault("true")
  boolean enabled();

  /** Pause between passes; a pass removes everything due, batch after batch. */
  @WithDefault("10m")
  Duration interval();

  /** Jobs deleted per transaction (their events and artifact records go with them). */
  @WithDefault("500")
  int batchSize();

  @WithDefault("30d")
  Duration succeeded();

  /** Longer by default: failures are what people come back to investigate. */
  @WithDefault("90d")
  Duration failed();

  @WithDefault("30d")
  Duration canceled();

  @WithDefault("30d")
  Duration expired();
}
