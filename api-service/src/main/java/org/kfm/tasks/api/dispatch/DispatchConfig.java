package org.kfm.tasks.api.dispatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "kfm.dispatch")
public interface DispatchConfig {
  /** Pause between dispatcher passes when the previous pass found less than a full batch. */
  @WithDefault("250ms")
  Duration interval();

  /** Rows claimed per pass. */
  @WithDefault("500")
  int batchSize();

  /**
   * How long the dispatcher leaves a new job to the request's own publish before it publishes the
   * job itself (the request may have died between commit and publish).
   */
  @WithDefault("3s")
  Duration fastPathGrace();

  /**
   * Jobs the request path may have in flight at once (published and not yet marked): beyond it a
   * new job is left in the outbox for the dispatcher loop, so a slow broker or database costs
   * latency, never memory.
   */
  @WithDefault("4000")
  int fastPathCapacity();

  /** How long to wait for Kafka to acknowledge a command before leaving it for the next pass. */
  @WithDefault("10s")
  Duration publishTimeout();

  /** Delay before a command whose publish failed is tried again. */
  @WithDefault("2s")
  Duration retryDelay();
}
