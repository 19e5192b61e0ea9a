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
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;

/** {@code analysis.run_simulation}: runs {@link LossSimulation} and returns its summary. */
@ApplicationScoped
public class SimulationHandler implements TaskHandler {
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
    return toJson(p.path("scenario_id").asText(), scenario, outcome);
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

  private static JsonNode toJson(
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
