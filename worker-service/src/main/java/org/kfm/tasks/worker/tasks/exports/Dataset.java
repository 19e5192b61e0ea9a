package org.kfm.tasks.worker.tasks.exports;

import java.util.List;
import java.util.Set;

/**
 * A dataset an export can read: its columns in file order, the query that streams them (filters are
 * appended by {@link DatasetQuery}), and, when it has geometry, which two columns hold the WGS 84
 * longitude and latitude.
 *
 * @param from the FROM clause, with the main table aliased {@code r}
 * @param orderBy a total order, so two exports of the same rows are the same file
 * @param ownerScoped whether a user exports only their own rows ({@code r.owner}); shared reference
 *     data such as forecasts is read whole
 * @param timeColumn what the {@code from}/{@code to} filters bound
 * @param filters the filter names this dataset understands
 */
record Dataset(
    String name,
    List<String> columns,
    String select,
    String from,
    String orderBy,
    String lonColumn,
    String latColumn,
    boolean ownerScoped,
    String timeColumn,
    Set<String> filters) {

  boolean hasGeometry() {
    return lonColumn != null;
  }

  private static final Set<String> RUN_FILTERS = Set.of("from", "to", "scenario_id", "ids");

  static final Dataset SIMULATION_RUNS =
      new Dataset(
          "simulation_runs",
          List.of(
              "job_id",
              "scenario_id",
              "runs",
              "horizon_years",
              "seed",
              "mean",
              "std_dev",
              "min_loss",
              "max_loss",
              "p5",
              "p50",
              "p95",
              "p99",
              "probability_of_loss",
              "site_lon",
              "site_lat",
              "finished_at",
              "pipeline_run_id"),
          "r.job_id, r.scenario_id, r.runs, r.horizon_years, r.seed, r.mean, r.std_dev, r.min_loss,"
              + " r.max_loss, r.p5, r.p50, r.p95, r.p99, r.probability_of_loss, r.site_lon,"
              + " r.site_lat, r.finished_at, r.lineage ->> 'pipeline_run_id'",
          "worker.simulation_runs r",
          "r.finished_at, r.job_id",
          "site_lon",
          "site_lat",
          true,
          "r.finished_at",
          RUN_FILTERS);

  static final Dataset SIMULATION_BINS =
      new Dataset(
          "simulation_bins",
          List.of("job_id", "scenario_id", "bin", "bin_from", "bin_to", "count"),
          "r.job_id, r.scenario_id, h.n, (h.b ->> 'from')::float8, (h.b ->> 'to')::float8,"
              + " (h.b ->> 'count')::bigint",
          "worker.simulation_runs r CROSS JOIN LATERAL jsonb_array_elements(r.histogram)"
              + " WITH ORDINALITY AS h(b, n)",
          "r.finished_at, r.job_id, h.n",
          null,
          null,
          true,
          "r.finished_at",
          RUN_FILTERS);

  /**
   * Forecast periods pulled by {@code ingest.noaa_forecast}: public reference data, the same for
   * every user, so not scoped to the exporting user. Located at the grid cell's centroid.
   */
  static final Dataset FORECAST_PERIODS =
      new Dataset(
          "forecast_periods",
          List.of(
              "office",
              "grid_x",
              "grid_y",
              "start_time",
              "end_time",
              "period_number",
              "name",
              "is_daytime",
              "temperature",
              "temperature_unit",
              "wind_speed",
              "wind_direction",
              "short_forecast",
              "detailed_forecast",
              "precipitation_probability",
              "grid_lon",
              "grid_lat",
              "upstream_updated",
              "job_id"),
          "r.office, r.grid_x, r.grid_y, r.start_time, r.end_time, r.period_number, r.name,"
              + " r.is_daytime, r.temperature, r.temperature_unit, r.wind_speed, r.wind_direction,"
              + " r.short_forecast, r.detailed_forecast, r.precipitation_probability, r.grid_lon,"
              + " r.grid_lat, r.upstream_updated, r.job_id",
          "worker.forecast_periods r",
          "r.office, r.grid_x, r.grid_y, r.start_time",
          "grid_lon",
          "grid_lat",
          false,
          "r.start_time",
          Set.of("from", "to", "office", "grid_x", "grid_y"));

  /**
   * ml.batch_inference's predictions, one row per model version and scored run, with the run's
   * actual value and the error. The filters apply to the scored run, as for the other datasets.
   */
  static final Dataset ML_PREDICTIONS =
      new Dataset(
          "ml_predictions",
          List.of(
              "model_name",
              "model_version",
              "run_job_id",
              "scenario_id",
              "target",
              "predicted",
              "actual",
              "error",
              "inference_job_id",
              "model_job_id",
              "pipeline_run_id"),
          "p.model_name, p.model_version, p.run_job_id, r.scenario_id, p.target, p.predicted,"
              + " p.actual, p.predicted - p.actual, p.job_id, p.lineage -> 'model' ->> 'jobId',"
              + " p.lineage ->> 'pipeline_run_id'",
          "worker.ml_predictions p JOIN worker.simulation_runs r"
              + " ON r.job_id = p.run_job_id AND r.owner = p.owner",
          "p.model_name, p.model_version, r.finished_at, r.job_id",
          null,
          null,
          true,
          "r.finished_at",
          RUN_FILTERS);

  static Dataset named(String name) {
    return switch (name) {
      case "simulation_runs" -> SIMULATION_RUNS;
      case "simulation_bins" -> SIMULATION_BINS;
      case "forecast_periods" -> FORECAST_PERIODS;
      case "ml_predictions" -> ML_PREDICTIONS;
      default -> throw new IllegalArgumentException("unknown dataset " + name);
    };
  }
}
