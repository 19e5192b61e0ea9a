package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kfm.tasks.contracts.AfterAttempt.End;
import org.kfm.tasks.contracts.AfterAttempt.Ending;
import org.kfm.tasks.contracts.AfterAttempt.Job;
import org.kfm.tasks.contracts.AfterAttempt.Kind;
import org.kfm.tasks.contracts.AfterAttempt.Next;
import org.kfm.tasks.contracts.JobEvent.JobError;

class AfterAttemptTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Instant ENDED_AT = NOW.minusMillis(40);
  // Exponential from 2 s, capped at 300 s, no jitter: attempt 2 waits 2 s, attempt 3 waits 4 s.
  private static final TaskSpec.Retries POLICY =
      new TaskSpec.Retries(3, TaskSpec.BackoffKind.EXPONENTIAL, 2, 300, false);

  private static final JobError RETRYABLE = new JobError("UPSTREAM_DOWN", "503", true, "e1");
  private static final JobError PERMANENT = new JobError("BAD_INPUT", "no", false, "e2");
  private static final JobError SHUTDOWN = JobErrors.workerShutdown();
  private static final JobError LOST = JobErrors.lost(Duration.ofSeconds(30));

  /**
   * One row per case: the job (status, attempt of max, cancel pending), the end (how, error), and
   * what follows (kind, status, attempt, extra attempts, backoff in ms, history types). The end
   * belongs to the job's current attempt unless the row says "old".
   */
  private static final String[] CASES = {
    // status  att/max cancel  ending     error      | kind     status     att  added  backoff
    // history
    "running   1/3  no      succeeded  -          | ENDED    succeeded  1    0      -        succeeded",
    "running   1/3  no      failed     retryable  | RETRY    scheduled  2    0      2000     failed,scheduled",
    "running   2/3  no      failed     retryable  | RETRY    scheduled  3    0      4000     failed,scheduled",
    "running   3/3  no      failed     retryable  | ENDED    failed     3    0      -        failed",
    "running   1/3  no      failed     permanent  | ENDED    failed     1    0      -        failed",
    "running   3/3  no      failed     shutdown   | RETRY    scheduled  4    1      0        failed,scheduled",
    "running   1/3  no      failed     shutdown   | RETRY    scheduled  2    1      0        failed,scheduled",
    "running   1/3  yes     failed     retryable  | ENDED    canceled   1    0      -        failed,canceled",
    "running   1/3  yes     failed     shutdown   | ENDED    canceled   1    0      -        failed,canceled",
    // An upstream's Retry-After (the error's retryNotBefore) waits longer than the backoff only.
    "running   1/3  no      failed     after10s   | RETRY    scheduled  2    0      10000    failed,scheduled",
    "running   2/3  no      failed     after3s    | RETRY    scheduled  3    0      4000     failed,scheduled",
    "running   1/3  no      failed     afterPast  | RETRY    scheduled  2    0      2000     failed,scheduled",
    "running   3/3  no      failed     after10s   | ENDED    failed     3    0      -        failed",
    "running   1/3  yes     failed     after10s   | ENDED    canceled   1    0      -        failed,canceled",
    "running   1/3  no      lost       lost       | RETRY    scheduled  2    0      2000     lost,scheduled",
    "running   3/3  no      lost       lost       | ENDED    failed     3    0      -        lost,failed",
    "running   1/3  yes     lost       lost       | ENDED    canceled   1    0      -        lost,canceled",
    "running   1/3  yes     canceled   -          | ENDED    canceled   1    0      -        canceled",
    "running   1/3  yes     succeeded  -          | ENDED    succeeded  1    0      -        succeeded",
    "queued    1/3  no      succeeded  -          | ENDED    succeeded  1    0      -        succeeded",
    "queued    1/3  no      failed     retryable  | RETRY    scheduled  2    0      2000     failed,scheduled",
    "scheduled 1/3  no      succeeded  -          | ENDED    succeeded  1    0      -        succeeded",
    "queued    1/3  no      expired    expired    | ENDED    expired    1    0      -        expired",
    "scheduled 2/3  no      expired    expired    | ENDED    expired    2    0      -        expired",
    "running   1/3  no      expired    expired    | IGNORED  -          -    -      -        -",
    "succeeded 1/3  no      failed     retryable  | IGNORED  -          -    -      -        -",
    "failed    3/3  no      failed     retryable  | IGNORED  -          -    -      -        -",
    "canceled  1/3  no      lost       lost       | IGNORED  -          -    -      -        -",
    "scheduled 2/3  no      failed     retryable  | IGNORED  -          -    -      -        - | old",
    "running   2/3  no      succeeded  -          | IGNORED  -          -    -      -        - | old",
  };

  static Stream<Arguments> cases() {
    return Arrays.stream(CASES).map(row -> Arguments.of(row.replaceAll("\\s+", " ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachEndLeadsWhereTheTableSays(String row) {
    String[] parts = row.split(" \\| ");
    String[] given = parts[0].trim().split(" ");
    String[] then = parts[1].trim().split(" ");
    boolean old = parts.length > 2;
    String[] attempts = given[1].split("/");
    int attempt = Integer.parseInt(attempts[0]);
    Job job =
        new Job(
            JobStatus.fromWireName(given[0]),
            attempt,
            Integer.parseInt(attempts[1]),
            given[2].equals("yes"));
    JobError error = error(given[4]);
    End end =
        new End(
            Ending.valueOf(given[3].toUpperCase()),
            old ? attempt - 1 : attempt,
            ENDED_AT,
            error,
            "w1");

    Next next = AfterAttempt.decide(job, end, POLICY, NOW, () -> 0.5);

    assertThat(next.kind()).as(row).isEqualTo(Kind.valueOf(then[0]));
    if (next.kind() == Kind.IGNORED) {
      assertThat(next.reason()).isNotBlank();
      assertThat(next.history()).isEmpty();
      return;
    }
    assertThat(next.status()).as(row).isEqualTo(JobStatus.fromWireName(then[1]));
    assertThat(next.attempt()).as(row).isEqualTo(Integer.parseInt(then[2]));
    assertThat(next.addedAttempts()).as(row).isEqualTo(Integer.parseInt(then[3]));
    if (then[4].equals("-")) {
      assertThat(next.runAt()).isNull();
    } else {
      assertThat(next.backoff()).isEqualTo(Duration.ofMillis(Long.parseLong(then[4])));
      assertThat(next.runAt()).isEqualTo(NOW.plus(next.backoff()));
    }
    assertThat(next.history())
        .extracting(AfterAttempt.Entry::type)
        .containsExactly(then[5].split(","));
    assertThat(next.error()).isEqualTo(error);
  }

  @Test
  void theAttemptsEndIsRecordedWhenItHappenedAndTheRetryWhenItWasDecided() {
    Next next =
        AfterAttempt.decide(
            new Job(JobStatus.RUNNING, 1, 3, false),
            new End(Ending.FAILED, 1, ENDED_AT, RETRYABLE, "w1"),
            POLICY,
            NOW,
            () -> 0.5);

    var failed = next.history().get(0);
    var scheduled = next.history().get(1);
    assertThat(failed.at()).isEqualTo(ENDED_AT);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.data()).isEqualTo(RETRYABLE);
    assertThat(scheduled.at()).isEqualTo(NOW);
    assertThat(scheduled.attempt()).isEqualTo(2);
    assertThat(scheduled.data())
        .isEqualTo(Map.of("runAt", NOW.plusSeconds(2).toString(), "backoffMs", 2000L));
  }

  @Test
  void aRetryHeldBackByTheUpstreamSaysSoInItsHistory() {
    Instant notBefore = NOW.plusSeconds(30);
    Next next =
        AfterAttempt.decide(
            new Job(JobStatus.RUNNING, 1, 3, false),
            new End(Ending.FAILED, 1, ENDED_AT, retryableNotBefore(notBefore), "w1"),
            POLICY,
            NOW,
            () -> 0.5);

    assertThat(next.runAt()).isEqualTo(notBefore);
    assertThat(next.history().get(1).data())
        .isEqualTo(
            Map.of(
                "runAt", notBefore.toString(),
                "backoffMs", 30_000L,
                "retryNotBefore", notBefore.toString()));
  }

  @Test
  void aShutdownRetryRunsAtOnceWhateverItsError() {
    JobError shutdownWithWait =
        new JobError(
            SHUTDOWN.code(), SHUTDOWN.message(), true, SHUTDOWN.errorId(), NOW.plusSeconds(60));
    Next next =
        AfterAttempt.decide(
            new Job(JobStatus.RUNNING, 1, 3, false),
            new End(Ending.FAILED, 1, ENDED_AT, shutdownWithWait, "w1"),
            POLICY,
            NOW,
            () -> 0.5);

    assertThat(next.runAt()).isEqualTo(NOW);
  }

  @Test
  void anEndWithoutErrorNamesItsWorker() {
    Next next =
        AfterAttempt.decide(
            new Job(JobStatus.RUNNING, 1, 3, false),
            new End(Ending.SUCCEEDED, 1, ENDED_AT, null, "w7"),
            POLICY,
            NOW,
            () -> 0.5);

    assertThat(next.history().get(0).data()).isEqualTo(Map.of("workerId", "w7"));
  }

  @Test
  void jitterDrawsTheBackoffFromHalfToAllOfThePolicysDelay() {
    var jittered = new TaskSpec.Retries(3, TaskSpec.BackoffKind.EXPONENTIAL, 2, 300, true);
    List<Duration> delays = new ArrayList<>();
    for (double draw : new double[] {0.0, 0.999}) {
      delays.add(
          AfterAttempt.decide(
                  new Job(JobStatus.RUNNING, 1, 3, false),
                  End.lost(1, NOW, LOST),
                  jittered,
                  NOW,
                  () -> draw)
              .backoff());
    }
    assertThat(delays.get(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(delays.get(1)).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(2));
  }

  @Test
  void everyStatusItReturnsIsOneTheTableAllows() {
    for (JobStatus status : JobStatus.values()) {
      for (Ending ending : Ending.values()) {
        for (JobError error : new JobError[] {null, RETRYABLE, PERMANENT, SHUTDOWN, LOST}) {
          for (boolean cancel : new boolean[] {false, true}) {
            Next next =
                AfterAttempt.decide(
                    new Job(status, 2, 3, cancel),
                    new End(ending, 2, ENDED_AT, error, null),
                    POLICY,
                    NOW,
                    () -> 0.5);
            if (!next.applies()) {
              continue;
            }
            Transition expected =
                next.kind() == Kind.RETRY
                    ? Transition.RETRY_SCHEDULED
                    : transitionTo(next.status());
            assertThat(JobTransitions.target(status, expected)).contains(next.status());
          }
        }
      }
    }
  }

  private static Transition transitionTo(JobStatus status) {
    return switch (status) {
      case SUCCEEDED -> Transition.SUCCEEDED;
      case FAILED -> Transition.FAILED;
      case CANCELED -> Transition.CANCELED;
      case EXPIRED -> Transition.EXPIRED;
      default -> throw new AssertionError("an end never leads to " + status);
    };
  }

  private static JobError retryableNotBefore(Instant at) {
    return new JobError("UPSTREAM_THROTTLED", "429", true, "e3", at);
  }

  private static JobError error(String name) {
    return switch (name) {
      case "-" -> null;
      case "retryable" -> RETRYABLE;
      case "permanent" -> PERMANENT;
      case "shutdown" -> SHUTDOWN;
      case "lost" -> LOST;
      case "expired" -> JobErrors.expired();
      case "after10s" -> retryableNotBefore(NOW.plusSeconds(10));
      case "after3s" -> retryableNotBefore(NOW.plusSeconds(3));
      case "afterPast" -> retryableNotBefore(NOW.minusSeconds(5));
      default -> throw new IllegalArgumentException(name);
    };
  }
}
