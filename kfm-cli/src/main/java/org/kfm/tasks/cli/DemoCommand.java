package org.kfm.tasks.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kfm.tasks.cli.demo.Board;
import org.kfm.tasks.cli.demo.Board.Outcome;
import org.kfm.tasks.cli.demo.DemoJobs;
import org.kfm.tasks.cli.demo.Rounds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Runs one job of each shipped task in three rounds, each using what the one before stored, and
 * prints every job's outcome in a line, then where to look further.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = {
      "Run one job of each shipped task and watch them side by side: simulations, a forecast",
      "pull, a report and exports, a model trained on simulation runs and its predictions, a",
      "domain event, and maintenance dry runs. Prints each job's outcome and where to look."
    })
class DemoCommand implements Callable<Integer> {
  @ParentCommand Kfm kfm;

  @Option(
      names = "--timeout",
      description = "Stop watching after this many seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = 300;

  @Override
  public Integer call() throws InterruptedException {
    long begin = System.currentTimeMillis();
    long deadline = begin + timeoutSeconds * 1000;
    DemoJobs jobs =
        new DemoJobs(
            role -> {
              ClientOptions as = new ClientOptions();
              as.roles = List.of(role);
              return as.client(kfm.layout());
            });
    Rounds rounds = new Rounds(jobs, begin / 1000);
    Board board = new Board(jobs.admin(), System.out, System.console() != null);
    List<Outcome> all = new ArrayList<>();

    System.out.println("1. Simulations, a job that fails once and is retried, a forecast pull");
    List<Outcome> first = board.watch(rounds.first(), deadline);
    if (first == null) {
      return timedOut();
    }
    all.addAll(first);
    System.out.println();
    System.out.println("2. From what they stored: a report, exports, a model; again the forecast;");
    System.out.println("   an event (a scene arrived: record it, warm the map tiles over it)");
    List<Outcome> second = board.watch(rounds.second(first), deadline);
    if (second == null) {
      return timedOut();
    }
    all.addAll(second);
    System.out.println();
    System.out.println("3. The model's predictions; maintenance dry runs");
    List<Outcome> third = board.watch(rounds.third(second), deadline);
    if (third == null) {
      return timedOut();
    }
    all.addAll(third);

    long succeeded =
        all.stream()
            .flatMap(o -> o.jobs().stream())
            .filter(j -> j.path("status").asText().equals("succeeded"))
            .count();
    System.out.printf(
        "%n%d jobs of %d tasks, %d succeeded, in %.1f s.%n",
        all.stream().mapToInt(o -> o.jobs().size()).sum(),
        all.stream().map(o -> o.row().task()).distinct().count(),
        succeeded,
        (System.currentTimeMillis() - begin) / 1000.0);
    printNext(all);
    List<String> missing = new ArrayList<>(jobs.catalogue());
    all.forEach(o -> missing.remove(o.row().task()));
    if (!missing.isEmpty()) {
      System.err.println("no job of these tasks ran (what they need did not succeed): " + missing);
    }
    return missing.isEmpty() && all.stream().allMatch(Outcome::succeeded) ? 0 : 1;
  }

  private static void printNext(List<Outcome> all) {
    System.out.println();
    System.out.println("Look further:");
    System.out.println("  ./kfm status <id>, ./kfm events <id>   a job's result, its history");
    System.out.println("  ./kfm list --task ml.retrain           the jobs of one task");
    for (Outcome o : all) {
      if (o.succeeded() && o.job().path("artifacts").size() > 0) {
        System.out.printf(
            "  ./kfm download %s   %s, %s%n",
            o.job().path("id").asText(), o.row().task(), o.row().label());
      }
    }
    System.out.println(
        "  GET /api/v1/tiles/simulation_sites/10/582/296.png (with a token)   a warmed tile");
    System.out.println(
        "  ./kfm submit ingest.noaa_forecast --param office=TOP --param grid_x=31 --param grid_y=80");
    System.out.println("  docs/tasks/<task>.md                    each task, with CLI examples");
  }

  private int timedOut() {
    System.err.println("demo jobs still running after " + timeoutSeconds + " s");
    return 5;
  }
}
