package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Kafka delivers a job's events in order per partition but at least once: any event may come again
 * later, after a retry or after the outcome. Whatever the duplicates, applying the delivery through
 * the table and the after-attempt rule ends exactly where the clean delivery ends.
 */
class TransitionConvergenceTest {

  private record Event(JobEventType type, int attempt) {}

  /** A job's state as the projector keeps it. */
  private record State(JobStatus status, int attempt) {}

  /** Attempts 1..n-1 fail retryably, attempt n ends with {@code last}. */
  private static List<Event> cleanHistory(int attempts, JobEventType last) {
    List<Event> events = new ArrayList<>();
    for (int a = 1; a <= attempts; a++) {
      events.add(new Event(JobEventType.STARTED, a));
      events.add(new Event(JobEventType.PROGRESS, a));
      events.add(new Event(a < attempts ? JobEventType.FAILED : last, a));
    }
    return events;
  }

  private static final TaskSpec.Retries POLICY =
      new TaskSpec.Retries(99, TaskSpec.BackoffKind.FIXED, 1, 1, false);

  /**
   * Applies events as the projector does: progress through the table, an attempt's end through the
   * after-attempt rule. A retryable failure with attempts left is retried.
   */
  private static State replay(List<Event> delivered, int maxAttempts) {
    State state = new State(JobStatus.QUEUED, 1);
    for (Event event : delivered) {
      if (!event.type().isFinal()) {
        var decision =
            JobTransitions.decide(
                state.status(), state.attempt(), event.type().transition(), event.attempt());
        state = decision.applies() ? new State(decision.next(), state.attempt()) : state;
        continue;
      }
      JobEvent.JobError error =
          event.type() == JobEventType.FAILED ? new JobEvent.JobError("E", "e", true, null) : null;
      AfterAttempt.Next next =
          AfterAttempt.decide(
              new AfterAttempt.Job(state.status(), state.attempt(), maxAttempts, false),
              new AfterAttempt.End(
                  AfterAttempt.Ending.of(event.type()),
                  event.attempt(),
                  Instant.EPOCH,
                  error,
                  null),
              POLICY,
              Instant.EPOCH,
              () -> 0.5);
      switch (next.kind()) {
        case IGNORED -> {}
        case ENDED -> state = new State(next.status(), next.attempt());
        case RETRY -> {
          // The dispatcher publishes the next attempt once its backoff has passed.
          var dispatched =
              JobTransitions.decide(
                  next.status(), next.attempt(), Transition.DISPATCHED, next.attempt());
          state = new State(dispatched.next(), next.attempt());
        }
      }
    }
    return state;
  }

  private static List<Event> withLateDuplicates(List<Event> clean, Random random) {
    List<Event> delivered = new ArrayList<>(clean);
    int duplicates = random.nextInt(clean.size() + 1);
    for (int d = 0; d < duplicates; d++) {
      int original = random.nextInt(clean.size());
      Event copy = clean.get(original);
      // A redelivery comes after the original's position, anywhere up to the very end.
      int from = delivered.indexOf(copy) + 1;
      delivered.add(from + random.nextInt(delivered.size() - from + 1), copy);
    }
    return delivered;
  }

  @Test
  void anyLateDuplicatesConvergeToTheCleanOutcome() {
    Random random = new Random(20261128);
    for (int round = 0; round < 20_000; round++) {
      int attempts = 1 + random.nextInt(4);
      int maxAttempts = attempts + random.nextInt(2);
      JobEventType last = random.nextBoolean() ? JobEventType.SUCCEEDED : JobEventType.CANCELED;
      List<Event> clean = cleanHistory(attempts, last);
      State expected = replay(clean, maxAttempts);
      assertThat(expected.status())
          .isEqualTo(last == JobEventType.SUCCEEDED ? JobStatus.SUCCEEDED : JobStatus.CANCELED);
      assertThat(expected.attempt()).isEqualTo(attempts);

      List<Event> delivered = withLateDuplicates(clean, random);

      assertThat(replay(delivered, maxAttempts)).as("delivered %s", delivered).isEqualTo(expected);
    }
  }

  @Test
  void aFinalFailureWithNoAttemptsLeftStaysFailedWhateverComesLate() {
    Random random = new Random(7);
    for (int round = 0; round < 5_000; round++) {
      int attempts = 1 + random.nextInt(3);
      List<Event> clean = cleanHistory(attempts, JobEventType.FAILED);
      State expected = replay(clean, attempts);
      assertThat(expected).isEqualTo(new State(JobStatus.FAILED, attempts));
      assertThat(replay(withLateDuplicates(clean, random), attempts)).isEqualTo(expected);
    }
  }
}
