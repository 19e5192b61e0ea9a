package org.kfm.tasks.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kfm.tasks.cli.stack.LocalStack;
import org.kfm.tasks.cli.stack.StackLayout;
import org.kfm.tasks.cli.stack.StackShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** up, down, logs: the local stack's lifecycle. */
final class StackCommands {
  private StackCommands() {}

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description =
          "Start PostgreSQL, Kafka, the API and workers locally and wait until healthy; on a stack"
              + " whose part has stopped, start just the parts that are not running.")
  static class Up implements Callable<Integer> {
    @ParentCommand Kfm kfm;

    @Option(
        names = "--worker-per-class",
        description = "One worker process per concurrency class instead of one for all.")
    Boolean workerPerClass;

    @Option(
        names = "--replicas",
        paramLabel = "N",
        description =
            "Run N api replicas and N worker processes per concurrency class (1 to "
                + StackShape.MAX_REPLICAS
                + "), all on one broker and one database. Without this option and"
                + " --worker-per-class, up keeps the shape the stack was last started with.")
    Integer replicas;

    @Option(
        names = "--fast-db",
        description =
            "Run the embedded PostgreSQL with fsync, synchronous_commit and full_page_writes off:"
                + " faster commits, but a crash of the machine can lose jobs already accepted."
                + " Same as KFM_DB_FAST=1.")
    boolean fastDb;

    @Override
    public Integer call() {
      StackLayout layout = fastDb ? kfm.layout().withFastDb(true) : kfm.layout();
      StackShape shape =
          replicas == null && workerPerClass == null
              ? StackShape.recorded(layout).orElse(StackShape.SINGLE)
              : new StackShape(
                  replicas == null ? 1 : replicas, Boolean.TRUE.equals(workerPerClass));
      new LocalStack(layout, System.out).up(shape);
      return 0;
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description =
          "Stop exactly what up started, and a PostgreSQL server of the stack that a killed"
              + " launcher left running.")
  static class Down implements Callable<Integer> {
    @ParentCommand Kfm kfm;

    @Override
    public Integer call() {
      List<String> stopped = new LocalStack(kfm.layout(), System.out).down();
      System.out.println(
          stopped.isEmpty()
              ? "Nothing was running."
              : "Stopped " + String.join(", ", stopped) + ".");
      return 0;
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      versionProvider = KfmVersion.class,
      description = "Follow the logs of one part (api, worker, kafka, postgres, ...) or of all.")
  static class Logs implements Callable<Integer> {
    @ParentCommand Kfm kfm;

    @Parameters(arity = "0..1", description = "The part; all parts when omitted.")
    String part;

    @Option(
        names = {"-n", "--lines"},
        description = "Lines of history to show first (default ${DEFAULT-VALUE}).")
    int lines = 50;

    @Option(names = "--no-follow", description = "Print and exit instead of following.")
    boolean noFollow;

    @Override
    public Integer call() throws IOException, InterruptedException {
      StackLayout layout = kfm.layout();
      List<String> files = new ArrayList<>();
      if (part != null) {
        Path log = layout.logFile(part);
        if (!Files.exists(log)) {
          throw new IllegalArgumentException("no log for " + part + " in " + layout.logs());
        }
        files.add(log.toString());
      } else if (Files.isDirectory(layout.logs())) {
        try (var all = Files.list(layout.logs())) {
          all.map(Path::toString).sorted().forEach(files::add);
        }
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException(
            "no logs yet in " + layout.logs() + "; start the stack with ./kfm up");
      }
      List<String> command = new ArrayList<>(List.of("tail", "-n", String.valueOf(lines)));
      if (!noFollow) {
        command.add("-F");
      }
      command.addAll(files);
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
  }
}
