package org.kfm.tasks.worker.tasks.ml;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.sql.DataSource;
import org.kfm.tasks.worker.tasks.analysis.LossSimulation;

/**
 * Real simulation outputs for the ML tests: scenarios with parameters spread over the ranges people
 * use, each run through {@link LossSimulation} as {@code analysis.run_simulation} would. Everything
 * derives from the name and seed given, so a test sees the same runs every time.
 */
final class SimulatedRuns {
  private static final Instant FIRST_FINISH = Instant.parse("2026-11-01T00:00:00Z");
  private static final int TRIALS = 2000;

  private SimulatedRuns() {}

  /** One simulated run with the job id it is stored under. */
  record Run(
      UUID jobId,
      LossSimulation.Scenario scenario,
      LossSimulation.Outcome outcome,
      Instant finishedAt) {
    RunRow row(String scenarioId) {
      return new RunRow(
          jobId,
          scenarioId,
          scenario.annualEventRate(),
          scenario.horizonYears(),
          scenario.mu(),
          scenario.sigma(),
          outcome.mean(),
          outcome.p95(),
          finishedAt);
    }
  }

  static List<Run> generate(String name, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LossSimulation.Scenario scenario =
          new LossSimulation.Scenario(
              TRIALS,
              1 + random.nextInt(5),
              round(0.5 + 5.5 * random.nextDouble()),
              round(-1 + 2.5 * random.nextDouble()),
              round(0.2 + 0.9 * random.nextDouble()),
              10);
      LossSimulation.Outcome outcome =
          LossSimulation.run(scenario, random.nextLong(), fraction -> {}, () -> false);
      UUID jobId = UUID.nameUUIDFromBytes((name + "/" + i).getBytes(StandardCharsets.UTF_8));
      runs.add(new Run(jobId, scenario, outcome, FIRST_FINISH.plusSeconds(60L * i)));
    }
    return runs;
  }

  static List<RunRow> rows(List<Run> runs, String scenarioId) {
    return runs.stream().map(run -> run.row(scenarioId)).toList();
  }

  /** Stores the runs as {@code analysis.run_simulation} does: one simulation_runs row each. */
  static void insert(DataSource dataSource, String owner, String scenarioId, List<Run> runs)
      throws SQLException {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement insert =
            conn.prepareStatement(
                "INSERT INTO worker.simulation_runs (job_id, owner, scenario_id, params, seed,"
                    + " runs, horizon_years, mean, std_dev, min_loss, max_loss, p5, p50, p95, p99,"
                    + " probability_of_loss, histogram, lineage, finished_at)"
                    + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]'::jsonb,"
                    + " ?::jsonb, ?)")) {
      for (Run run : runs) {
        LossSimulation.Scenario s = run.scenario();
        LossSimulation.Outcome o = run.outcome();
        insert.setObject(1, run.jobId());
        insert.setString(2, owner);
        insert.setString(3, scenarioId);
        insert.setString(
            4,
            String.format(
                Locale.ROOT,
                "{\"scenario_id\":\"%s\",\"runs\":%d,\"horizon_years\":%d,"
                    + "\"annual_event_rate\":%s,\"severity\":{\"mu\":%s,\"sigma\":%s},\"bins\":10}",
                scenarioId,
                s.runs(),
                s.horizonYears(),
                s.annualEventRate(),
                s.mu(),
                s.sigma()));
        insert.setString(5, Long.toUnsignedString(o.seed()));
        insert.setInt(6, o.runs());
        insert.setInt(7, s.horizonYears());
        insert.setDouble(8, o.mean());
        insert.setDouble(9, o.stdDev());
        insert.setDouble(10, o.min());
        insert.setDouble(11, o.max());
        insert.setDouble(12, o.p5());
        insert.setDouble(13, o.p50());
        insert.setDouble(14, o.p95());
        insert.setDouble(15, o.p99());
        insert.setDouble(16, o.probabilityOfLoss());
        insert.setString(
            17, "{\"jobId\":\"" + run.jobId() + "\",\"task\":\"analysis.run_simulation\"}");
        insert.setTimestamp(18, Timestamp.from(run.finishedAt()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Two decimals, as people type parameters. */
  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
