package org.kfm.tasks.api.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "kfm.schedules")
public interface SchedulesConfig {
  /**
   * Pause between firing passes: a slot fires at most this late. Seconds-level schedules need it
   * below their period.
   */
  @WithDefault("1s")
  Duration pollInterval();

  /** Schedules claimed per pass. */
  @WithDefault("50")
  int batchSize();

  /** Whether this replica fires schedules; any number of replicas may. */
  @WithDefault("true")
  boolean firing();

  /**
   * Schedules created at start when their task is in the catalogue and no schedule of that name
   * exists; an admin's later edit or delete is never undone. See docs/scheduling.md.
   */
  Map<String, DefaultSchedule> defaults();

  interface DefaultSchedule {
    String cron();

    @WithDefault("UTC")
    String timeZone();

    String task();

    /** The params object as JSON. */
    @WithDefault("{}")
    String params();

    /** Shipped defaults are off until an admin resumes them. */
    @WithDefault("false")
    boolean enabled();
  }
}
