package org.kfm.tasks.worker.tasks.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.exports.SimulationReport;
import org.kfm.tasks.exports.SimulationReportData;
import org.kfm.tasks.worker.outputs.Outputs;
import org.kfm.tasks.worker.tasks.analysis.SimulationRun;
import org.kfm.tasks.worker.tasks.analysis.SimulationRunArtifact;

/**
 * {@code exports.simulation_report}: renders a stored simulation run as {@code report.pdf} and
 * links it to the run. Everything printed comes from the run's row, so the same run gives the same
 * bytes.
 */
@ApplicationScoped
public class SimulationReportHandler implements TaskHandler {
  static final String NAME = "report.pdf";

  private final Outputs outputs;

  public SimulationReportHandler(Outputs outputs) {
    this.outputs = outputs;
  }

  @Override
  public String task() {
    return "exports.simulation_report";
  }

  @Override
  public JsonNode run(TaskContext context) throws IOException {
    UUID runJobId = UUID.fromString(context.params().path("run_job_id").asText());
    context.step("load");
    SimulationRun run = load(runJobId);
    // Another user's run is reported as missing, as the api answers 404 for another user's job.
    if (run == null || !run.owner.equals(context.owner())) {
      throw TaskFailure.permanent(
          "RUN_NOT_FOUND",
          "no stored simulation run for job " + runJobId + ": has that job succeeded?");
    }
    context.step("render");
    SimulationReportData data = dataOf(run, context.params().path("title").asText(null));
    ArtifactRef report =
        context.artifact(NAME, "application/pdf", out -> SimulationReport.write(data, out));
    context.step("store");
    SimulationRunArtifact link = new SimulationRunArtifact();
    link.id = new SimulationRunArtifact.Key(runJobId, NAME);
    link.jobId = context.jobId();
    link.contentType = report.contentType();
    link.size = report.size();
    link.sha256 = report.sha256();
    link.storageKey = report.key();
    link.lineage = Wire.toJson(context.lineage());
    outputs.store(context, session -> session.merge(link).replaceWithVoid());
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("runJobId", runJobId.toString());
    result.put("scenarioId", run.scenarioId);
    result.put("artifact", report.name());
    result.put("bytes", report.size());
    result.put("sha256", report.sha256());
    return result;
  }

  private static SimulationRun load(UUID runJobId) {
    try {
      return VertxContextSupport.subscribeAndAwait(
          () -> Panache.withSession(() -> SimulationRun.<SimulationRun>findById(runJobId)));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("loading simulation run " + runJobId + " failed", e);
    }
  }

  static SimulationReportData dataOf(SimulationRun run, String title) {
    JsonNode params = Wire.fromJson(run.params, JsonNode.class);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("runs", String.valueOf(run.runs));
    parameters.put("horizon_years", String.valueOf(run.horizonYears));
    parameters.put("annual_event_rate", params.path("annual_event_rate").asText());
    parameters.put("severity.mu", params.path("severity").path("mu").asText());
    parameters.put("severity.sigma", params.path("severity").path("sigma").asText());
    parameters.put("bins", String.valueOf(params.path("bins").asInt(20)));
    if (run.siteLon != null) {
      parameters.put("site", run.siteLon + ", " + run.siteLat);
    }
    parameters.put("seed", run.seed);
    Map<String, Double> statistics = new LinkedHashMap<>();
    statistics.put("mean", run.mean);
    statistics.put("stdDev", run.stdDev);
    statistics.put("min", run.minLoss);
    statistics.put("p5", run.p5);
    statistics.put("p50", run.p50);
    statistics.put("p95", run.p95);
    statistics.put("p99", run.p99);
    statistics.put("max", run.maxLoss);
    statistics.put("probabilityOfLoss", run.probabilityOfLoss);
    List<SimulationReportData.Bin> bins = new ArrayList<>();
    for (JsonNode bin : Wire.fromJson(run.histogram, JsonNode.class)) {
      bins.add(
          new SimulationReportData.Bin(
              bin.path("from").asDouble(), bin.path("to").asDouble(), bin.path("count").asLong()));
    }
    Map<String, String> lineage = new LinkedHashMap<>();
    Wire.fromJson(run.lineage, JsonNode.class)
        .fields()
        .forEachRemaining(
            f ->
                lineage.put(
                    f.getKey(),
                    f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
    return new SimulationReportData(
        title != null ? title : "Simulation report: " + run.scenarioId,
        run.scenarioId,
        run.jobId,
        run.finishedAt,
        parameters,
        statistics,
        bins,
        lineage);
  }
}
