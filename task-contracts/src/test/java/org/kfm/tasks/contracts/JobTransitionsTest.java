package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobTransitionsTest {

  /**
   * Every (status, transition) pair for an event of the current attempt; "-" means ignored. The
   * columns follow {@link Transition}'s declaration order.
   */
  private static final String[] EXPECTED = {
    // STARTED  PROGRESS  SUCCEEDED  FAILED  CANCELED  DISPATCHED  RETRY_SCHEDULED  CANCEL_REQUESTED
    //  EXPIRED  MANUAL_RETRY
    "scheduled: running   running   succeeded  failed  canceled  queued      scheduled       canceled          expired  -",
    "queued:    running   running   succeeded  failed  canceled  queued      scheduled       canceled          expired  -",
    "running:   -         running   succeeded  failed  canceled  -           scheduled       running           -        -",
    "succeeded: -         -         -          -       -         -           -               -                 -        -",
    "failed:    -         -         -          -       -         -           -               -                 -        scheduled",
    "canceled:  -         -         -          -       -         -           -               -                 -        scheduled",
    "expired:   -         -         -          -       -         -           -               -                 -        scheduled",
  };

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (String row : EXPECTED) {
      String[] cells = row.split(":\\s*|\\s+");
      JobStatus from = JobStatus.fromWireName(cells[0]);
      for (Transition t : Transition.values()) {
        String cell = cells[1 + t.ordinal()];
        pairs.add(Arguments.of(from, t, cell.equals("-") ? null : JobStatus.fromWireName(cell)));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @MethodSource("everyPair")
  void eachPairOfTheCurrentAttemptFollowsTheTable(
      JobStatus from, Transition transition, JobStatus expected) {
    var decision = JobTransitions.decide(from, 3, transition, 3);

    if (expected == null) {
      assertThat(decision.applies()).as(decision.reason()).isFalse();
    } else {
      assertThat(decision.applies()).isTrue();
      assertThat(decision.next()).isEqualTo(expected);
    }
  }

  @Test
  void theTableCoversEveryStatusAndTransition() {
    assertThat(EXPECTED).hasSize(JobStatus.values().length);
    assertThat(everyPair().count())
        .isEqualTo((long) JobStatus.values().length * Transition.values().length);
  }

  @ParameterizedTest
  @MethodSource("workerEvents")
  void anEventOfAnOlderAttemptChangesNothing(Transition workerEvent) {
    for (JobStatus status : JobStatus.values()) {
      assertThat(JobTransitions.decide(status, 2, workerEvent, 1).applies()).isFalse();
      assertThat(JobTransitions.decide(status, 2, workerEvent, 3).applies()).isFalse();
    }
  }

  static Stream<Transition> workerEvents() {
    return Stream.of(JobEventType.values()).map(JobEventType::transition);
  }

  @Test
  void aDuplicateStartIsIgnoredAndALateStartAfterTheOutcomeToo() {
    assertThat(JobTransitions.decide(JobStatus.RUNNING, 1, Transition.STARTED, 1).applies())
        .isFalse();
    assertThat(JobTransitions.decide(JobStatus.SUCCEEDED, 1, Transition.STARTED, 1).applies())
        .isFalse();
  }

  @Test
  void retriesBeginANewAttempt() {
    assertThat(
            JobTransitions.decide(JobStatus.RUNNING, 1, Transition.RETRY_SCHEDULED, 1)
                .nextAttempt())
        .isEqualTo(2);
    assertThat(JobTransitions.decide(JobStatus.FAILED, 3, Transition.MANUAL_RETRY, 3).nextAttempt())
        .isEqualTo(4);
    assertThat(JobTransitions.decide(JobStatus.QUEUED, 1, Transition.STARTED, 1).nextAttempt())
        .isEqualTo(1);
  }

  /**
   * Kafka may deliver an attempt's events twice and, across a retry, late. Whatever the
   * interleaving of duplicates, applying them through the table ends where the clean sequence ends.
   */
  @Test
  void duplicatedAndReorderedDeliveriesConvergeToTheCleanOutcome() {
    Random random = new Random(42);
    List<JobEventType> clean =
        List.of(
            JobEventType.STARTED,
            JobEventType.PROGRESS,
            JobEventType.PROGRESS,
            JobEventType.SUCCEEDED);
    JobStatus cleanEnd = replay(clean);
    assertThat(cleanEnd).isEqualTo(JobStatus.SUCCEEDED);

    for (int round = 0; round < 2_000; round++) {
      List<JobEventType> delivered = new ArrayList<>(clean);
      int duplicates = random.nextInt(4);
      for (int i = 0; i < duplicates; i++) {
        delivered.add(
            random.nextInt(delivered.size() + 1), clean.get(random.nextInt(clean.size())));
      }
      // A late duplicate may even come after the final event.
      java.util.Collections.swap(
          delivered, random.nextInt(delivered.size()), random.nextInt(delivered.size()));
      if (delivered.contains(JobEventType.SUCCEEDED)) {
        assertThat(replay(delivered)).as(delivered.toString()).isEqualTo(cleanEnd);
      }
    }
  }

  private static JobStatus replay(List<JobEventType> events) {
    JobStatus status = JobStatus.QUEUED;
    for (JobEventType event : events) {
      var decision = JobTransitions.decide(status, 1, event.transition(), 1);
      if (decision.applies()) {
        status = decision.next();
      }
    }
    return status;
  }
}
