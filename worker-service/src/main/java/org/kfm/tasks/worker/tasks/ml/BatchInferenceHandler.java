package org.kfm.tasks.worker.tasks.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.outputs.Outputs;

/**
 * {@code ml.batch_inference}: scores the owner's simulation runs with a registered model version
 * (the promoted one unless a version is named) and upserts one prediction per run and version, with
 * the run's actual value beside it. The model and the runs fix every number, so a re-run writes the
 * same predictions.
 */
@ApplicationScoped
public class BatchInferenceHandler implements TaskHandler {
  private static final Logger LOG = Logger.getLogger(BatchInferenceHandler.class);

  private final SimulationRuns runs;
  private final ModelRegistry registry;
  private final ModelFiles files;
  private final Outputs outputs;
  private final MeterRegistry meters;

  public BatchInferenceHandler(
      SimulationRuns runs,
      ModelRegistry registry,
      ModelFiles files,
      Outputs outputs,
      MeterRegistry meters) {
    this.runs = runs;
    this.registry = registry;
    this.files = files;
    this.outputs = outputs;
    this.meters = meters;
  }

  @Override
  public String task() {
    return "ml.batch_inference";
  }

  @Override
  public JsonNode run(TaskContext context) throws IOException, SQLException {
    JsonNode p = context.params();
    String name = p.path("model").asText();
    String owner = context.owner();
    JsonNode filters = p.path("filters");
    int maxRows = p.path("max_rows").asInt(50_000);

    context.step("load model");
    MlModel model = find(owner, name, p.hasNonNull("version") ? p.get("version").asInt() : null);
    Surrogate surrogate = files.load(model);
    Target target = surrogate.target();

    context.step("read runs");
    long matching = runs.count(owner, filters);
    if (matching == 0) {
      throw TaskFailure.permanent(
          "NO_RUNS", "none of your stored simulation runs match the filters: nothing to score");
    }
    if (matching > maxRows) {
      throw TaskFailure.permanent(
          "TOO_MANY_RUNS",
          matching
              + " runs match, more than max_rows="
              + maxRows
              + ": narrow the filters (scenario_id, ids) or raise max_rows");
    }
    List<RunRow> all = runs.matching(owner, filters);
    // The spec's schema keeps stored parameters in range; a row outside it is skipped, not guessed.
    List<RunRow> rows = all.stream().filter(Features::usable).toList();
    if (rows.isEmpty()) {
      throw TaskFailure.permanent(
          "NO_RUNS", "none of the " + all.size() + " matching runs has parameters the model takes");
    }

    context.step("score");
    Timer.Sample scoring = Timer.start(meters);
    Map<String, Object> lineage = context.lineage();
    lineage.put("model", modelLineage(model));
    PredictionUpsert.Shared shared =
        new PredictionUpsert.Shared(
            owner,
            model.name,
            model.version,
            target.wireName(),
            context.jobId(),
            Wire.toJson(lineage),
            Instant.now());
    List<PredictionUpsert.Prediction> predictions = new ArrayList<>(rows.size());
    double[] actual = new double[rows.size()];
    double[] predicted = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      if (i % 1000 == 0) {
        if (context.isCancelled()) {
          throw new IllegalStateException("inference stopped");
        }
        context.progress((double) i / rows.size(), "scored " + i + " of " + rows.size() + " runs");
      }
      RunRow row = rows.get(i);
      actual[i] = target.of(row);
      predicted[i] = surrogate.predict(row);
      predictions.add(new PredictionUpsert.Prediction(row.jobId(), predicted[i], actual[i]));
    }
    scoring.stop(meters.timer("kfm.ml.scoring", "target", target.wireName()));
    Scores scores = Scores.of(actual, predicted);

    context.step("store");
    outputs.store(context, new PredictionUpsert(shared, predictions)::run);
    meters.counter("kfm.ml.predictions", "target", target.wireName()).increment(rows.size());
    LOG.infof(
        "job=%s scored %d runs with model %s v%d (%s): rmse=%.6g mae=%.6g r2=%.4f",
        context.jobId(),
        rows.size(),
        model.name,
        model.version,
        target.wireName(),
        scores.rmse(),
        scores.mae(),
        scores.r2());

    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("model", model.name);
    result.put("version", model.version);
    result.put("modelJobId", model.jobId.toString());
    result.put("target", target.wireName());
    result.put("rows", rows.size());
    result.put("skippedRows", all.size() - rows.size());
    ObjectNode error = result.putObject("errorVsActual");
    number(error, "rmse", scores.rmse());
    number(error, "mae", scores.mae());
    number(error, "r2", scores.r2());
    return result;
  }

  private MlModel find(String owner, String name, Integer version) {
    Optional<MlModel> model =
        version != null ? registry.version(owner, name, version) : registry.promoted(owner, name);
    return model.orElseThrow(
        () ->
            TaskFailure.permanent(
                "MODEL_NOT_FOUND",
                version != null
                    ? "you have no version " + version + " of model " + name
                    : "you have no promoted version of model "
                        + name
                        + ": train one with ml.retrain first"));
  }

  private static Map<String, Object> modelLineage(MlModel model) {
    Map<String, Object> lineage = new LinkedHashMap<>();
    lineage.put("name", model.name);
    lineage.put("version", model.version);
    lineage.put("jobId", model.jobId.toString());
    lineage.put("sha256", model.sha256);
    lineage.put("datasetVersion", model.datasetVersion);
    return lineage;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
