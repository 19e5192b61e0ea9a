package org.kfm.tasks.worker.tasks.exports;

import java.util.List;

/**
 * A dataset an export can read: its columns in file order, the query that streams them (filters are
 * appended by {@link DatasetQuery}), and, when it has geometry, which two columns hold the WGS 84
 * longitude and latitude.
 *
 * @param from the FROM clause, with the run table aliased {@code r} (filters apply to the run)
 * @param orderBy a total order, so two exports of the same rows are the same file
 */
record Dataset(
    String name,
    List<String> columns,
    String select,
    String from,
    String orderBy,
    String lonColumn,
    String latColumn) {

  boolean hasGeometry() {
    return lonColumn != null;
  }

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
          "site_lat");

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
          null);

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
          null);

  static Dataset named(String name) {
    return switch (name) {
      case "simulation_runs" -> SIMULATION_RUNS;
      case "simulation_bins" -> SIMULATION_BINS;
      case "ml_predictions" -> ML_PREDICTIONS;
      default -> throw new IllegalArgumentException("unknown dataset " + name);
    };
  }
}
