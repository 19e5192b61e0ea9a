package org.kfm.tasks.api.well;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * When the queue watchdog ({@code /q/health/well}) reports DOWN. Thresholds apply to each class
 * (queue counts and ages) or each task (failure ratio) on its own.
 */
@ConfigMapping(prefix = "kfm.well")
public interface WellConfig {
  /** How often job counts, DLQ sizes and the projector's progress are read. */
  @WithDefault("15s")
  Duration refresh();

  /** A class with more queued jobs than this is piling up. */
  @WithDefault("10000")
  long maxQueued();

  /** A class whose oldest queued job has waited longer than this is piling up. */
  @WithDefault("10m")
  Duration maxQueuedAge();

  /** Failure ratio per task over this window of finished jobs. */
  @WithDefault("15m")
  Duration failureWindow();

  /** A task whose finished jobs in the window failed at this ratio or more fails repeatedly. */
  @WithDefault("0.5")
  double maxFailureRatio();

  /** Fewer finished jobs than this in the window say nothing about a task's failure ratio. */
  @WithDefault("10")
  long failureMinJobs();

  /** Status events waiting while the projector commits nothing for this long: it is stalled. */
  @WithDefault("2m")
  Duration projectionStallAfter();

  /** The projector's consumer group, whose committed offsets tell its progress. */
  @WithDefault("kfm-api-projector")
  String projectorGroup();

  /**
   * A running job without a heartbeat for this long counts as late in kfm_jobs_heartbeat_late; keep
   * it a few worker heartbeat intervals (5 s) and under the lease (60 s) that ends it as lost.
   */
  @WithDefault("15s")
  Duration heartbeatLateAfter();
}
