package org.kfm.tasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class ScheduleCommandsTest {
  private static ScheduleCommands.ScheduleCommand parsed(String... args) {
    ParseResult result = Kfm.commandLine().parseArgs(args);
    return (ScheduleCommands.ScheduleCommand)
        result.subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  void scheduleCommandsActAsAdminUnlessARoleIsGiven() {
    assertThat(parsed("schedules", "list").options().effectiveRoles()).containsExactly("admin");
    assertThat(parsed("schedules", "pause", "nightly", "--role", "ops").options().effectiveRoles())
        .containsExactly("ops");
  }

  @Test
  void jobCommandsStillDefaultToAnalyst() {
    ParseResult result = Kfm.commandLine().parseArgs("list");
    JobCommands.ListJobs list =
        (JobCommands.ListJobs) result.subcommand().commandSpec().userObject();
    assertThat(list.options.effectiveRoles()).isEqualTo(List.of("analyst"));
  }

  @Test
  void createTakesCronZoneTaskAndParams() {
    var create =
        (ScheduleCommands.Create)
            parsed(
                "schedules",
                "create",
                "nightly",
                "--cron",
                "0 3 * * *",
                "--tz",
                "Europe/Berlin",
                "--task",
                "system.noop",
                "--param",
                "sleep_ms=5",
                "--overlap",
                "skip_if_running");
    assertThat(create.name).isEqualTo("nightly");
    assertThat(create.cron).isEqualTo("0 3 * * *");
    assertThat(create.timeZone).isEqualTo("Europe/Berlin");
    assertThat(create.params).containsExactly("sleep_ms=5");
    assertThat(create.overlap).isEqualTo("skip_if_running");
  }
}
