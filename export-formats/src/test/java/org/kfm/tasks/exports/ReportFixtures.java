package org.kfm.tasks.exports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A realistic run: 10,000 lognormal-ish losses binned into 20 bars. */
final class ReportFixtures {
  static final UUID RUN = UUID.fromString("0b6f9a52-8d7e-4f3c-9a51-2f0e7c1d4b11");
  static final Instant FINISHED = Instant.parse("2026-11-28T10:15:30Z");

  private ReportFixtures() {}

  static SimulationReportData report() {
    return report(statistics());
  }

  static SimulationReportData report(Map<String, Double> statistics) {
    return new SimulationReportData(
        "Flood loss simulation – coastal north",
        "scenario-coastal-north-2026",
        RUN,
        FINISHED,
        parameters(),
        statistics,
        histogram(),
        lineage());
  }

  static Map<String, String> parameters() {
    var p = new LinkedHashMap<String, String>();
    p.put("runs", "10000");
    p.put("horizon_years", "30");
    p.put("annual_event_rate", "0.25");
    p.put("severity.mu", "11.2");
    p.put("severity.sigma", "1.4");
    return p;
  }

  static Map<String, Double> statistics() {
    var s = new LinkedHashMap<String, Double>();
    s.put("mean", 1_234_567.891_23);
    s.put("stdDev", 345_678.9);
    s.put("min", 0.0);
    s.put("p5", 12.345_67);
    s.put("p50", 987_654.321);
    s.put("p95", 2_345_678.5);
    s.put("p99", 3_456_789.012_345);
    s.put("max", 9_876_543.21);
    s.put("probabilityOfLoss", 0.998_7);
    return s;
  }

  static List<SimulationReportData.Bin> histogram() {
    var bins = new ArrayList<SimulationReportData.Bin>();
    long[] counts = {
      40, 180, 520, 990, 1420, 1610, 1500, 1210, 880, 590, 380, 240, 160, 110, 70, 45, 25, 15, 10, 5
    };
    double width = 500_000;
    for (int i = 0; i < counts.length; i++) {
      bins.add(new SimulationReportData.Bin(i * width, (i + 1) * width, counts[i]));
    }
    return bins;
  }

  static Map<String, String> lineage() {
    var l = new LinkedHashMap<String, String>();
    l.put("jobId", RUN.toString());
    l.put("task", "analysis.run_simulation");
    l.put("taskVersion", "3");
    l.put("attempt", "1");
    l.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    l.put("pipeline_run_id", "run-7");
    l.put("submittedBy", "alice");
    return l;
  }
}
