package org.kfm.tasks.api.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/**
 * How many jobs one user may enqueue ({@code kfm.quota.*}, docs/security.md). Every job of a batch
 * counts. The rate is kept in memory by each api replica: with N replicas behind a balancer a user
 * may reach up to N times the rate. The waiting-jobs cap is counted in the database and holds
 * across replicas.
 */
@ConfigMapping(prefix = "kfm.quota")
public interface QuotaConfig {
  /** Jobs per second a user's allowance refills at. */
  @WithDefault("20")
  double jobsPerSecond();

  /**
   * Jobs a user may enqueue at once after being idle; at least the largest batch (1,000), or a full
   * batch could never be sent.
   */
  @WithDefault("1000")
  int burst();

  /**
   * Jobs of one user that may wait (scheduled or queued) at a time; 0 turns the cap off. Work the
   * workers cannot keep up with is refused at the door rather than piling up for hours.
   */
  @WithDefault("10000")
  int maxWaitingJobs();

  /** What a user over the waiting-jobs cap is told to wait before trying again. */
  @WithDefault("30s")
  Duration waitingRetryAfter();

  /**
   * Roles whose holders are not limited: operators who run schedules, maintenance and load tests.
   * Empty limits everyone.
   */
  @WithDefault("admin")
  Set<String> exemptRoles();

  /**
   * Users whose allowance is remembered at once; the least recently seen is forgotten first (its
   * allowance starts full again), so memory stays bounded whatever the number of users.
   */
  @WithDefault("100000")
  long maxTrackedUsers();
}
