package org.kfm.tasks.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker clock = nanos::get;

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  void aNewUserMayEnqueueTheBurstAtOnceThenWaitsForTheRate() {
    TokenBuckets buckets = new TokenBuckets(10, 100, 1000, clock);

    assertThat(buckets.take("ann", 100)).isZero();
    assertThat(buckets.take("ann", 1)).isEqualTo(Duration.ofMillis(100));
    advance(Duration.ofMillis(100));
    assertThat(buckets.take("ann", 1)).isZero();
  }

  @Test
  void aRefusedRequestTakesNothingSoTheWaitItWasToldIsEnough() {
    TokenBuckets buckets = new TokenBuckets(10, 100, 1000, clock);
    buckets.take("ann", 100);

    Duration wait = buckets.take("ann", 50);
    assertThat(wait).isEqualTo(Duration.ofSeconds(5));
    assertThat(buckets.take("ann", 50)).isEqualTo(wait);
    advance(wait);
    assertThat(buckets.take("ann", 50)).isZero();
  }

  @Test
  void usersDoNotShareABucketAndABucketNeverHoldsMoreThanTheBurst() {
    TokenBuckets buckets = new TokenBuckets(10, 100, 1000, clock);
    buckets.take("ann", 100);

    assertThat(buckets.take("bob", 100)).isZero();
    advance(Duration.ofHours(1));
    assertThat(buckets.take("ann", 100)).isZero();
    assertThat(buckets.take("ann", 1)).isPositive();
  }

  @Test
  void tokensGivenBackAreThereAgainButNeverAboveTheBurst() {
    TokenBuckets buckets = new TokenBuckets(10, 100, 1000, clock);
    buckets.take("ann", 100);

    buckets.giveBack("ann", 40);
    assertThat(buckets.take("ann", 40)).isZero();
    assertThat(buckets.take("ann", 1)).isPositive();
    buckets.giveBack("ann", 500);
    assertThat(buckets.take("ann", 100)).isZero();
    assertThat(buckets.take("ann", 1)).isPositive();
  }

  @Test
  void theCacheForgetsTheLeastRecentUsersBeyondItsSize() {
    TokenBuckets buckets = new TokenBuckets(1, 10, 100, clock);
    for (int i = 0; i < 10_000; i++) {
      buckets.take("user-" + i, 10);
    }
    assertThat(buckets.tracked()).isLessThanOrEqualTo(100);
  }
}
