package org.kfm.tasks.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kfm.tasks.cli.demo.Board.Outcome;
import org.kfm.tasks.cli.demo.Board.Row;

/**
 * The demo's three rounds of jobs, each submitting what the previous one's outcomes allow: a job
 * whose inputs did not succeed is left out (and the demo then says which tasks did not run).
 */
public final class Rounds {
  public static final String MODEL = "demo-surrogate";

  /** ml.retrain's default {@code min_rows}: the fewest usable runs it trains on. */
  public static final int TRAINING_RUNS = 30;

  /** The grid cell the local stack's forecast server has a fixture for. */
  public static final String FORECAST_CELL = "{\"office\":\"TOP\",\"grid_x\":31,\"grid_y\":80}";

  private static final String SIM = "analysis.run_simulation";
  private static final String PULL = "ingest.noaa_forecast";

  private final DemoJobs jobs;
  private final long stamp;

  /**
   * @param stamp makes this demo's scenario and event ids its own
   */
  public Rounds(DemoJobs jobs, long stamp) {
    this.jobs = jobs;
    this.stamp = stamp;
  }

  private String trainingScenario() {
    return "demo-train-" + stamp;
  }

  /** Simulations (two to look at, thirty to train on), a retried no-op, a forecast pull. */
  public List<Row> first() {
    return List.of(
        Row.of(
            "small run",
            SIM,
            jobs.submit(
                "analyst",
                SIM,
                "{\"scenario_id\":\"demo-small-"
                    + stamp
                    + "\",\"runs\":300000,\"annual_event_rate\":2,"
                    + "\"severity\":{\"mu\":1,\"sigma\":0.5}}")),
        Row.of(
            "large run",
            SIM,
            jobs.submit(
                "analyst",
                SIM,
                "{\"scenario_id\":\"demo-large-"
                    + stamp
                    + "\",\"runs\":3000000,\"horizon_years\":5,\"annual_event_rate\":1.2,"
                    + "\"severity\":{\"mu\":2,\"sigma\":1.1},\"bins\":30}")),
        new Row(
            "training data",
            SIM,
            jobs.submitAll("analyst", SIM, trainingParams(trainingScenario(), TRAINING_RUNS))),
        Row.of(
            "fails once",
            "system.noop",
            jobs.submit("admin", "system.noop", "{\"fail_first_attempts\":1,\"sleep_ms\":2000}")),
        Row.of("first pull", PULL, jobs.submit("analyst", PULL, FORECAST_CELL)));
  }

  /** From what the first round stored: a report, exports, a model; a second pull; an event. */
  public List<Row> second(List<Outcome> first) {
    List<Row> rows = new ArrayList<>();
    Outcome small = find(first, "small run");
    Outcome large = find(first, "large run");
    if (small.succeeded() && large.succeeded()) {
      String smallRun = small.job().path("id").asText();
      rows.add(
          Row.of(
              "of the small run",
              "exports.simulation_report",
              jobs.submit(
                  "analyst",
                  "exports.simulation_report",
                  "{\"run_job_id\":\"" + smallRun + "\"}")));
      rows.add(
          Row.of(
              "both runs",
              "exports.dataset",
              jobs.submit(
                  "analyst",
                  "exports.dataset",
                  "{\"dataset\":\"simulation_runs\",\"format\":\"csv\",\"filters\":{\"ids\":[\""
                      + smallRun
                      + "\",\""
                      + large.job().path("id").asText()
                      + "\"]}}")));
    }
    if (find(first, "first pull").succeeded()) {
      rows.add(Row.of("second pull", PULL, jobs.submit("analyst", PULL, FORECAST_CELL)));
      rows.add(
          Row.of(
              "the forecast",
              "exports.dataset",
              jobs.submit(
                  "analyst",
                  "exports.dataset",
                  "{\"dataset\":\"forecast_periods\",\"format\":\"csv\",\"filters\":"
                      + FORECAST_CELL
                      + "}")));
    }
    if (find(first, "training data").succeeded()) {
      rows.add(
          Row.of(
              "from the runs",
              "ml.retrain",
              jobs.submit("analyst", "ml.retrain", "{\"model\":\"" + MODEL + "\"}")));
    }
    List<String> eventJobs = jobs.publishImageryArrived("demo-scene-" + stamp);
    rows.add(Row.of("from the event", "ingest.imagery_scene", eventJobs.get(0)));
    rows.add(Row.of("from the event", "geo.tile_cache_warm", eventJobs.get(1)));
    return rows;
  }

  /** The model's predictions on the training runs; dry runs of both maintenance tasks. */
  public List<Row> third(List<Outcome> second) {
    List<Row> rows = new ArrayList<>();
    if (second.stream().anyMatch(o -> o.row().task().equals("ml.retrain") && o.succeeded())) {
      rows.add(
          Row.of(
              "promoted version",
              "ml.batch_inference",
              jobs.submit(
                  "analyst",
                  "ml.batch_inference",
                  "{\"model\":\""
                      + MODEL
                      + "\",\"filters\":{\"scenario_id\":\""
                      + trainingScenario()
                      + "\"}}")));
    }
    rows.add(
        Row.of(
            "dry run",
            "maintenance.prune_artifacts",
            jobs.submit(
                "admin",
                "maintenance.prune_artifacts",
                "{\"older_than_days\":30,\"dry_run\":true}")));
    rows.add(
        Row.of(
            "dry run",
            "maintenance.cache_cleanup",
            jobs.submit("admin", "maintenance.cache_cleanup", "{\"dry_run\":true}")));
    return rows;
  }

  private static Outcome find(List<Outcome> outcomes, String label) {
    return outcomes.stream()
        .filter(o -> o.row().label().equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no demo row " + label));
  }

  /**
   * Parameters varied over the ranges the surrogate is meant for, from a fixed seed: every demo
   * trains on the same thirty scenarios.
   */
  static List<String> trainingParams(String scenario, int count) {
    SplittableRandom random = new SplittableRandom(42);
    List<String> params = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      params.add(
          String.format(
              Locale.ROOT,
              "{\"scenario_id\":\"%s\",\"runs\":2000,\"horizon_years\":%d,"
                  + "\"annual_event_rate\":%.2f,\"severity\":{\"mu\":%.2f,\"sigma\":%.2f}}",
              scenario,
              random.nextInt(1, 6),
              random.nextDouble(0.5, 6),
              random.nextDouble(-1, 1.5),
              random.nextDouble(0.2, 1.1)));
    }
    return params;
  }
}
