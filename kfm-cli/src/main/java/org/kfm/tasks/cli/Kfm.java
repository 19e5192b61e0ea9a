package org.kfm.tasks.cli;

import java.nio.file.Path;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.cli.stack.LocalStack;
import org.kfm.tasks.cli.stack.StackLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./kfm}: the local stack and a client of the REST API. */
@Command(
    name = "kfm",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = "Run KFM Tasks locally and use it from the command line.",
    subcommands = {
      StackCommands.Up.class,
      StackCommands.Down.class,
      StatusCommand.class,
      StackCommands.Logs.class,
      JobCommands.Tasks.class,
      JobCommands.Submit.class,
      JobCommands.Watch.class,
      JobCommands.ListJobs.class,
      JobCommands.Cancel.class,
      JobCommands.Retry.class,
      JobCommands.Events.class,
      DownloadCommand.class,
      ScheduleCommands.class,
      PublishCommand.class,
      JobCommands.Token.class,
      DemoCommand.class,
      BenchCommand.class
    })
public class Kfm {
  @Option(
      names = "--root",
      hidden = true,
      description = "The repository folder (set by the ./kfm script).")
  Path root = Path.of("").toAbsolutePath();

  StackLayout layout() {
    return StackLayout.fromEnvironment(root, System.getenv());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The whole command tree with its error handling, as {@link #main} runs it. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Kfm());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ApiClient.ApiError api) {
            cmd.getErr().println("error: " + api.getMessage());
            if (api.problem() != null) {
              api.problem()
                  .path("errors")
                  .forEach(
                      f ->
                          cmd.getErr()
                              .println(
                                  "  "
                                      + f.path("field").asText()
                                      + ": "
                                      + f.path("message").asText()));
              if (api.problem().hasNonNull("errorId")) {
                cmd.getErr().println("  errorId " + api.problem().path("errorId").asText());
              }
            }
            return 1;
          }
          if (e instanceof LocalStack.StackException
              || e instanceof IllegalStateException
              || e instanceof IllegalArgumentException) {
            cmd.getErr().println("error: " + e.getMessage());
            return e instanceof LocalStack.StackException ? 2 : 1;
          }
          throw e;
        });
    return commandLine;
  }
}
