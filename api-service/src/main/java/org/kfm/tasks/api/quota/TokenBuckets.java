package org.kfm.tasks.api.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * One token bucket per user in a bounded cache. A bucket left alone long enough to refill is
 * dropped: it would answer exactly as a new one does.
 */
final class TokenBuckets {
  private final double perSecond;
  private final int burst;
  private final Ticker ticker;
  private final Cache<String, Bucket> buckets;

  TokenBuckets(double perSecond, int burst, long maxUsers, Ticker ticker) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("the rate and the burst must be positive");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.ticker = ticker;
    Duration refill = Duration.ofMillis((long) Math.ceil(burst / perSecond * 1000));
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(maxUsers)
            .expireAfterAccess(refill.plusSeconds(1))
            .ticker(ticker)
            .build();
  }

  /**
   * Takes {@code jobs} tokens from the user's bucket if it holds them; takes nothing otherwise.
   *
   * @return zero when taken, else how long until the bucket holds enough
   */
  Duration take(String user, int jobs) {
    return buckets.get(user, u -> new Bucket(burst, ticker.read())).take(jobs);
  }

  /**
   * Gives back tokens a request took but did not use (a later check refused it), so a refusal costs
   * the user no allowance.
   */
  void giveBack(String user, int jobs) {
    Bucket bucket = buckets.getIfPresent(user);
    if (bucket != null) {
      bucket.giveBack(jobs);
    }
  }

  /** Users with a bucket now; the cache's size bound keeps it near {@code maxUsers}. */
  long tracked() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  private final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    synchronized Duration take(int jobs) {
      long now = ticker.read();
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
      refilledAt = now;
      if (tokens >= jobs) {
        tokens -= jobs;
        return Duration.ZERO;
      }
      return Duration.ofMillis((long) Math.ceil((jobs - tokens) / perSecond * 1000));
    }

    synchronized void giveBack(int jobs) {
      tokens = Math.min(burst, tokens + jobs);
    }
  }
}
