package org.kfm.tasks.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptHandleTest {
  // One thread, so every attempt below runs on the same pooled thread as the one before it.
  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  private static AttemptHandle handle() {
    return new AttemptHandle(new AttemptContext(null, null, p -> {}, 1000, Clock.systemUTC()));
  }

  @AfterEach
  void shutdown() {
    thread.shutdownNow();
  }

  @Test
  void aStopInterruptsTheRunningHandler() {
    AttemptHandle running = handle();
    running.start(
        thread,
        "task-test",
        () -> {
          Thread.sleep(30_000);
          return TextNode.valueOf("slept");
        });
    running.stop(StopReason.CANCELED);
    assertThatThrownBy(() -> running.result().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
  }

  @Test
  void aStopAfterTheHandlerEndedDoesNotReachTheThreadsNextAttempt() throws Exception {
    AttemptHandle first = handle();
    first.start(thread, "task-first", () -> TextNode.valueOf("done"));
    assertThat(first.result().get(5, TimeUnit.SECONDS).asText()).isEqualTo("done");
    first.stop(StopReason.CANCELED);

    AttemptHandle second = handle();
    second.start(
        thread,
        "task-second",
        () -> {
          Thread.sleep(200);
          return TextNode.valueOf("undisturbed");
        });
    assertThat(second.result().get(5, TimeUnit.SECONDS).asText()).isEqualTo("undisturbed");
  }

  @Test
  void aHandlerStoppedBeforeItsThreadIsFreeNeverRuns() throws Exception {
    AttemptHandle blocker = handle();
    blocker.start(
        thread,
        "task-blocker",
        () -> {
          Thread.sleep(300);
          return TextNode.valueOf("ok");
        });
    AtomicBoolean ran = new AtomicBoolean();
    AttemptHandle queued = handle();
    queued.start(
        thread,
        "task-queued",
        () -> {
          ran.set(true);
          return TextNode.valueOf("ran");
        });
    queued.stop(StopReason.SHUTDOWN);
    assertThatThrownBy(() -> queued.result().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(ran).isFalse();
    assertThat(blocker.result().get(5, TimeUnit.SECONDS).asText()).isEqualTo("ok");
  }

  @Test
  void theThreadKeepsThePoolsNameBetweenAttempts() throws Exception {
    AttemptHandle named = handle();
    named.start(thread, "task-named", () -> TextNode.valueOf(Thread.currentThread().getName()));
    assertThat(named.result().get(5, TimeUnit.SECONDS).asText()).isEqualTo("task-named");
    String after = thread.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    assertThat(after).startsWith("pool-");
  }
}
