package org.kfm.tasks.worker.tasks.exports;

import java.util.List;

/**
 * A dataset an export can read: its columns in file order, the query that streams them (filters are
 * appended by {@link DatasetQuery}), and, when it has geometry, which two columns hold the WGS 84
 * longitude and latitude.
 *
 * @param from the FROM clause, with the run table aliased {@code r}
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

  static Dataset named(String name) {
    return switch (name) {
      case "simulation_runs" -> SIMULATION_RUNS;
      case "simulation_bins" -> SIMULATION_BINS;
      default -> throw new IllegalArgumentException("unknown dataset " + name);
    };
  }
}
