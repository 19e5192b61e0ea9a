package org.kfm.tasks.api.quota;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.error.TooManyRequests;
import org.kfm.tasks.api.store.OwnerBacklog;

/**
 * Decides whether a user may enqueue more jobs now: first the rate (in memory, per replica), then
 * the cap on their waiting jobs (in the database). It runs after a submission is found valid and
 * before anything is written, so a refused request leaves no trace but a counter, and tokens a
 * request took are given back when the cap refuses it. The cap is a check before the insert, not a
 * lock: requests racing each other (on one replica or several) may pass it together and overshoot
 * it by what they carry, at most one batch each. Users are not named in the metric: a tag per user
 * would grow without bound.
 */
// Started with the app so that its refusal counters exist at zero before the first submission.
@Startup
@ApplicationScoped
public class EnqueueQuota {
  private static final Logger LOG = Logger.getLogger(EnqueueQuota.class);

  private final TokenBuckets buckets;
  private final OwnerBacklog backlog;
  private final int burst;
  private final int maxWaiting;
  private final Duration waitingRetryAfter;
  private final Set<String> exemptRoles;
  private final Counter rateLimited;
  private final Counter waitingLimited;

  public EnqueueQuota(QuotaConfig config, OwnerBacklog backlog, MeterRegistry registry) {
    this.buckets =
        new TokenBuckets(
            config.jobsPerSecond(),
            config.burst(),
            config.maxTrackedUsers(),
            Ticker.systemTicker());
    this.backlog = backlog;
    this.burst = config.burst();
    this.maxWaiting = config.maxWaitingJobs();
    this.waitingRetryAfter = config.waitingRetryAfter();
    this.exemptRoles = config.exemptRoles();
    this.rateLimited = registry.counter("kfm.api.rate_limited", "kind", "rate");
    this.waitingLimited = registry.counter("kfm.api.rate_limited", "kind", "queued");
  }

  /**
   * @param jobs how many jobs the request would enqueue (a batch counts each)
   * @return a void item when the caller may go ahead; a {@link TooManyRequests} failure otherwise
   */
  public Uni<Void> admit(Caller caller, int jobs) {
    if (caller.roles().stream().anyMatch(exemptRoles::contains)) {
      return Uni.createFrom().voidItem();
    }
    if (jobs > burst) {
      return Uni.createFrom()
          .failure(
              new ApiProblem(
                  413,
                  "Payload too large",
                  "one request may enqueue at most " + burst + " jobs; send smaller batches",
                  List.of()));
    }
    Duration wait = buckets.take(caller.name(), jobs);
    if (!wait.isZero()) {
      rateLimited.increment();
      LOG.debugf("user=%s over the enqueue rate with %d job(s)", caller.name(), jobs);
      return Uni.createFrom()
          .failure(
              new TooManyRequests(
                  "you are enqueuing faster than your allowance; retry after "
                      + Math.max(1, (wait.toMillis() + 999) / 1000)
                      + " s",
                  wait));
    }
    if (maxWaiting <= 0) {
      return Uni.createFrom().voidItem();
    }
    return backlog
        .waiting(caller.name(), maxWaiting)
        .onFailure()
        .invoke(e -> buckets.giveBack(caller.name(), jobs))
        .map(
            waiting -> {
              if (waiting + jobs > maxWaiting) {
                buckets.giveBack(caller.name(), jobs);
                waitingLimited.increment();
                LOG.debugf(
                    "user=%s has %d waiting jobs, the cap is %d",
                    caller.name(), waiting, maxWaiting);
                throw new TooManyRequests(
                    "you have "
                        + waiting
                        + " jobs waiting to run and may have at most "
                        + maxWaiting
                        + "; retry when some have started",
                    waitingRetryAfter);
              }
              return null;
            });
  }
}
