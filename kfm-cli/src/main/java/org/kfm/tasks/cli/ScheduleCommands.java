package org.kfm.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.cli.client.Params;
import org.kfm.tasks.cli.client.Render;
import org.kfm.tasks.contracts.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kfm schedules ...}: recurring jobs. Schedules are admin-only, so these act as admin. */
@Command(
    name = "schedules",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = "Recurring jobs fired by cron (role admin; see docs/scheduling.md).",
    subcommands = {
      ScheduleCommands.ListSchedules.class,
      ScheduleCommands.Get.class,
      ScheduleCommands.Create.class,
      ScheduleCommands.Pause.class,
      ScheduleCommands.Resume.class,
      ScheduleCommands.Delete.class,
      ScheduleCommands.Run.class
    })
class ScheduleCommands implements Callable<Integer> {
  private static final String BASE = "/api/v1/schedules";

  @ParentCommand Kfm kfm;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  abstract static class ScheduleCommand implements Callable<Integer> {
    @ParentCommand ScheduleCommands parent;
    @Mixin ClientOptions options;

    /** Only admins may use schedules, so that is the default role here. */
    ClientOptions options() {
      options.defaultRoles = List.of("admin");
      return options;
    }

    ApiClient client() {
      return options().client(parent.kfm.layout());
    }

    void print(JsonNode node) {
      if (options.json) {
        Render.json(System.out, node);
      } else {
        System.out.println(line(node));
      }
    }

    static String line(JsonNode s) {
      return String.format(
          "%-28s %-7s %-16s %-14s %-28s next %s",
          s.path("name").asText(),
          s.path("enabled").asBoolean() ? "active" : "paused",
          s.path("cron").asText(),
          s.path("timeZone").asText(),
          s.path("task").asText(),
          s.path("enabled").asBoolean() ? s.path("nextFireAt").asText() : "-");
    }
  }

  abstract static class NamedCommand extends ScheduleCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Every schedule with its next slot.")
  static class ListSchedules extends ScheduleCommand {
    @Override
    public Integer call() {
      JsonNode all = client().get(BASE);
      if (options.json) {
        Render.json(System.out, all);
      } else if (all.isEmpty()) {
        System.out.println("No schedules.");
      } else {
        all.forEach(s -> System.out.println(line(s)));
      }
      return 0;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "One schedule, as JSON.")
  static class Get extends NamedCommand {
    @Override
    public Integer call() {
      Render.json(System.out, client().get(BASE + "/" + name));
      return 0;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description =
          "Create a schedule. Cron: 5 fields (Unix: minute hour day-of-month month day-of-week)"
              + " or 6-7 (Quartz, seconds first, '?' in one day field).")
  static class Create extends NamedCommand {
    @Option(names = "--cron", required = true, description = "e.g. '0 3 * * *' (03:00 daily).")
    String cron;

    @Option(
        names = "--tz",
        description = "IANA time zone the cron is read in (default ${DEFAULT-VALUE}).")
    String timeZone = "UTC";

    @Option(names = "--task", required = true, description = "The task, e.g. system.noop.")
    String task;

    @Option(
        names = {"-p", "--param"},
        description =
            "A parameter as key=value (dotted keys nest; values are JSON when they parse).")
    List<String> params = new ArrayList<>();

    @Option(names = "--paused", description = "Create it paused.")
    boolean paused;

    @Option(
        names = "--catch-up",
        description = "After downtime: fire_once (default) or skip the missed slots.")
    String catchUp;

    @Option(
        names = "--overlap",
        description = "allow (default) or skip_if_running: skip slots while the last job runs.")
    String overlap;

    @Override
    public Integer call() {
      ObjectNode body =
          Wire.mapper()
              .createObjectNode()
              .put("name", name)
              .put("cron", cron)
              .put("timeZone", timeZone)
              .put("task", task)
              .put("enabled", !paused);
      body.set("params", Params.of(params));
      if (catchUp != null) {
        body.put("catchUp", catchUp);
      }
      if (overlap != null) {
        body.put("overlap", overlap);
      }
      print(client().post(BASE, body, Map.of()));
      return 0;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Stop firing until resumed.")
  static class Pause extends NamedCommand {
    @Override
    public Integer call() {
      print(client().post(BASE + "/" + name + "/pause", null, Map.of()));
      return 0;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Fire again from the next slot after now (missed slots are not made up).")
  static class Resume extends NamedCommand {
    @Override
    public Integer call() {
      print(client().post(BASE + "/" + name + "/resume", null, Map.of()));
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Delete a schedule; the jobs it fired stay.")
  static class Delete extends NamedCommand {
    @Override
    public Integer call() {
      client().delete(BASE + "/" + name);
      System.out.println("deleted " + name);
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Enqueue the schedule's job now, outside its slots; prints the job id.")
  static class Run extends NamedCommand {
    @Override
    public Integer call() {
      JsonNode job = client().post(BASE + "/" + name + "/run", null, Map.of());
      if (options.json) {
        Render.json(System.out, job);
      } else {
        System.out.println(job.path("id").asText());
      }
      return 0;
    }
  }
}
