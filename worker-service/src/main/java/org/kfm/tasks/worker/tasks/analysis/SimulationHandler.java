package org.kfm.tasks.worker.tasks.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.outputs.Outputs;

/**
 * {@code analysis.run_simulation}: runs {@link LossSimulation}, stores the run (one {@code
 * simulation_runs} row per job, replaced by a re-run) and returns its summary.
 */
@ApplicationScoped
public class SimulationHandler implements TaskHandler {
  private final Outputs outputs;

  public SimulationHandler(Outputs outputs) {
    this.outputs = outputs;
  }

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @Override
  public String task() {
    return "analysis.run_simulation";
  }

  @Override
  public JsonNode run(TaskContext context) {
    JsonNode p = context.params();
    LossSimulation.Scenario scenario =
        new LossSimulation.Scenario(
            p.path("runs").asInt(),
            p.path("horizon_years").asInt(1),
            p.path("annual_event_rate").asDouble(),
            p.path("severity").path("mu").asDouble(),
            p.path("severity").path("sigma").asDouble(),
            p.path("bins").asInt(20));
    long seed = seedOf(p);
    context.step("simulate");
    LossSimulation.Outcome outcome;
    try {
      outcome =
          LossSimulation.run(
              scenario,
              seed,
              fraction ->
                  context.progress(fraction, "simulated " + Math.round(fraction * 100) + "%"),
              context::isCancelled);
    } catch (OutOfMemoryError e) {
      throw TaskFailure.permanent(
          "TOO_LARGE", "the simulation does not fit in this worker's memory");
    }
    ObjectNode result = toJson(p.path("scenario_id").asText(), scenario, outcome);
    context.step("store");
    SimulationRun run = toRun(context, result);
    outputs.store(
        context,
        session ->
            session
                .find(SimulationRun.class, run.jobId)
                // A re-run keeps the first finish time: the same run, the same row.
                .invoke(
                    existing ->
                        run.finishedAt = existing != null ? existing.finishedAt : run.finishedAt)
                .chain(() -> session.merge(run))
                .replaceWithVoid());
    return result;
  }

  private static SimulationRun toRun(TaskContext context, ObjectNode result) {
    JsonNode p = context.params();
    SimulationRun run = new SimulationRun();
    run.jobId = context.jobId();
    run.owner = context.owner();
    run.scenarioId = result.path("scenarioId").asText();
    run.params = Wire.toJson(p);
    run.seed = result.path("seed").asText();
    run.runs = result.path("runs").asInt();
    run.horizonYears = result.path("horizonYears").asInt();
    run.mean = result.path("mean").asDouble();
    run.stdDev = result.path("stdDev").asDouble();
    run.minLoss = result.path("min").asDouble();
    run.maxLoss = result.path("max").asDouble();
    run.p5 = result.path("p5").asDouble();
    run.p50 = result.path("p50").asDouble();
    run.p95 = result.path("p95").asDouble();
    run.p99 = result.path("p99").asDouble();
    run.probabilityOfLoss = result.path("probabilityOfLoss").asDouble();
    run.histogram = Wire.toJson(result.path("histogram").path("bins"));
    if (p.has("site")) {
      run.siteLon = p.path("site").path("lon").asDouble();
      run.siteLat = p.path("site").path("lat").asDouble();
    }
    run.lineage = Wire.toJson(context.lineage());
    run.finishedAt = Instant.now();
    return run;
  }

  /** The seed derives from the inputs alone: the same request always gives the same numbers. */
  static long seedOf(JsonNode params) {
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(params, Object.class));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode toJson(
      String scenarioId, LossSimulation.Scenario s, LossSimulation.Outcome o) {
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("scenarioId", scenarioId);
    result.put("runs", o.runs());
    result.put("horizonYears", s.horizonYears());
    result.put("seed", Long.toUnsignedString(o.seed()));
    result.put("mean", o.mean());
    result.put("stdDev", o.stdDev());
    result.put("min", o.min());
    result.put("max", o.max());
    result.put("p5", o.p5());
    result.put("p50", o.p50());
    result.put("p95", o.p95());
    result.put("p99", o.p99());
    result.put("probabilityOfLoss", o.probabilityOfLoss());
    ArrayNode bins = result.putObject("histogram").putArray("bins");
    for (int b = 0; b < o.binCounts().length; b++) {
      bins.addObject()
          .put("from", o.binEdges()[b])
          .put("to", o.binEdges()[b + 1])
          .put("count", o.binCounts()[b]);
    }
    return result;
  }
}
