package org.kfm.tasks.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.cli.client.Render;

/**
 * Jobs shown side by side, one line each (or one line for a group of jobs of one task), redrawn
 * until all have ended: the task, its status, then progress while it runs and the headline of its
 * result once it has ended.
 */
public final class Board {
  /** A line of the board: one job, or several of one task counted together. */
  public record Row(String label, String task, List<String> ids) {
    public static Row of(String label, String task, String id) {
      return new Row(label, task, List.of(id));
    }
  }

  /** How a row ended: its status (the worst of its jobs') and the jobs as last read. */
  public record Outcome(Row row, String status, List<JsonNode> jobs) {
    public boolean succeeded() {
      return status.equals("succeeded");
    }

    public JsonNode job() {
      return jobs.get(0);
    }
  }

  private final ApiClient api;
  private final PrintStream out;
  private final boolean tty;
  private final Map<String, JsonNode> ended = new HashMap<>();

  public Board(ApiClient api, PrintStream out, boolean tty) {
    this.api = api;
    this.out = out;
    this.tty = tty;
  }

  /**
   * Redraws the rows until all have ended, then prints each with its headline; null when {@code
   * deadlineMillis} passed first. Live lines stay short so that a terminal never wraps them, which
   * would break the redraw; the final lines may be long.
   */
  public List<Outcome> watch(List<Row> rows, long deadlineMillis) throws InterruptedException {
    List<Outcome> outcomes = read(rows);
    boolean drawn = false;
    while (!outcomes.stream().allMatch(o -> Render.isTerminal(o.status()))) {
      if (tty) {
        print(liveLines(outcomes), drawn);
        drawn = true;
      }
      if (System.currentTimeMillis() > deadlineMillis) {
        return null;
      }
      Thread.sleep(500);
      outcomes = read(rows);
    }
    print(finalLines(outcomes), drawn);
    return outcomes;
  }

  private List<Outcome> read(List<Row> rows) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Row row : rows) {
      List<JsonNode> jobs = new ArrayList<>();
      for (String id : row.ids()) {
        JsonNode job = ended.containsKey(id) ? ended.get(id) : fetch(id);
        if (job != null && Render.isTerminal(job.path("status").asText())) {
          ended.put(id, job);
        }
        jobs.add(job);
      }
      outcomes.add(new Outcome(row, statusOf(jobs), jobs));
    }
    return outcomes;
  }

  /** The job, or null while it does not exist yet (a domain event's jobs come a moment later). */
  private JsonNode fetch(String id) {
    try {
      return api.get("/api/v1/jobs/" + id);
    } catch (ApiClient.ApiError e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  /** One failure makes a group failed; it has succeeded only when all its jobs have. */
  static String statusOf(List<JsonNode> jobs) {
    List<String> statuses =
        jobs.stream().map(j -> j == null ? "waiting" : j.path("status").asText()).toList();
    for (String bad : List.of("failed", "expired", "canceled")) {
      if (statuses.contains(bad) && statuses.stream().allMatch(Render::isTerminal)) {
        return bad;
      }
    }
    if (statuses.stream().allMatch("succeeded"::equals)) {
      return "succeeded";
    }
    if (statuses.size() == 1) {
      return statuses.get(0);
    }
    return statuses.contains("running")
        ? "running"
        : statuses.contains("waiting") ? "waiting" : "queued";
  }

  private static List<String> liveLines(List<Outcome> outcomes) {
    List<String> lines = new ArrayList<>();
    for (Outcome o : outcomes) {
      lines.add(
          String.format(
              "%-27s %-10s %s  %s",
              o.row().task(), o.status(), Render.bar(progress(o), 12), o.row().label()));
    }
    return lines;
  }

  private static List<String> finalLines(List<Outcome> outcomes) {
    List<String> lines = new ArrayList<>();
    for (Outcome o : outcomes) {
      lines.add(
          String.format(
              "%-27s %-10s %s  %s",
              o.row().task(),
              o.status(),
              o.row().label() + ": " + headline(o),
              o.jobs().size() == 1 ? o.row().ids().get(0) : o.jobs().size() + " jobs"));
    }
    return lines;
  }

  private static String headline(Outcome o) {
    if (o.jobs().size() == 1) {
      return Headline.of(o.job());
    }
    return o.succeeded()
        ? Headline.ofRuns(o.jobs())
        : o.jobs().stream()
            .filter(j -> !j.path("status").asText().equals("succeeded"))
            .findFirst()
            .map(Headline::of)
            .orElse(o.status());
  }

  private static double progress(Outcome o) {
    if (o.jobs().size() == 1) {
      JsonNode job = o.job();
      return job == null ? 0 : job.path("progress").path("fraction").asDouble(0);
    }
    long ended =
        o.jobs().stream()
            .filter(j -> j != null && Render.isTerminal(j.path("status").asText()))
            .count();
    return ended / (double) o.jobs().size();
  }

  private void print(List<String> lines, boolean rewind) {
    if (rewind) {
      out.print("\033[" + lines.size() + "A");
    }
    for (String line : lines) {
      out.println(tty ? "\033[2K" + line : line);
    }
  }
}
