package org.kfm.tasks.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.tasks.testing.TaskCommands.aCommand;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskSpec;

/** What the platform hands a handler about its attempt. */
class AttemptContextTest {
  private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");
  private static final TaskSpec NOOP =
      TaskCatalog.fromClasspath().find("system.noop").orElseThrow().spec();

  private final List<JobEvent.Progress> sent = new ArrayList<>();
  private final TaskCommand command = aCommand().attempt(2).idempotencyKey("k-1").build();
  private final AttemptContext context =
      new AttemptContext(command, NOOP, sent::add, 60_000, Clock.fixed(START, ZoneOffset.UTC));

  @Test
  void theDeadlineIsTheAttemptsStartPlusItsTasksTimeout() {
    assertThat(context.deadline()).isEqualTo(START.plus(NOOP.timeout()));
  }

  @Test
  void aStepIsShownAtOnceEvenWithinTheProgressRateLimit() {
    context.progress(0.25, "working");
    context.step("render");
    context.progress(0.5, "rate limited");

    assertThat(sent)
        .containsExactly(
            new JobEvent.Progress(0.25, "working"), new JobEvent.Progress(0.25, "render"));
  }

  @Test
  void lineageNamesTheJobTaskVersionAttemptAndKey() {
    assertThat(context.lineage())
        .containsEntry("jobId", command.jobId().toString())
        .containsEntry("task", "system.noop")
        .containsEntry("taskVersion", 1)
        .containsEntry("attempt", 2)
        .containsEntry("idempotencyKey", "k-1");
  }
}
