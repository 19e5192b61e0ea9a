package org.kfm.tasks.worker.tasks.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.outputs.Outputs;

/**
 * {@code ml.retrain}: trains a {@link Surrogate} of the simulation on the owner's stored runs,
 * scores it on held-out runs, stores it as a versioned artifact with a registry row, and promotes
 * it unless it is clearly worse than the promoted version on the same held-out runs.
 */
@ApplicationScoped
public class RetrainHandler implements TaskHandler {
  private static final Logger LOG = Logger.getLogger(RetrainHandler.class);

  private final SimulationRuns runs;
  private final ModelRegistry registry;
  private final ModelFiles files;
  private final Outputs outputs;
  private final MlConfig config;
  private final MeterRegistry meters;

  public RetrainHandler(
      SimulationRuns runs,
      ModelRegistry registry,
      ModelFiles files,
      Outputs outputs,
      MlConfig config,
      MeterRegistry meters) {
    this.runs = runs;
    this.registry = registry;
    this.files = files;
    this.outputs = outputs;
    this.config = config;
    this.meters = meters;
  }

  @Override
  public String task() {
    return "ml.retrain";
  }

  @Override
  public JsonNode run(TaskContext context) throws IOException, SQLException {
    JsonNode p = context.params();
    String name = p.path("model").asText();
    Target target = Target.named(p.path("target").asText("p95"));
    long seed = p.path("seed").asLong(42);
    double testFraction = p.path("test_fraction").asDouble(0.25);
    int minRows = p.path("min_rows").asInt(30);
    double margin = p.path("promotion_margin").asDouble(config.promotionMargin());
    String owner = context.owner();

    Optional<MlModel> latest = registry.latest(owner, name);
    if (latest.isPresent() && !latest.get().target.equals(target.wireName())) {
      throw TaskFailure.permanent(
          "TARGET_MISMATCH",
          "model "
              + name
              + " predicts "
              + latest.get().target
              + ", not "
              + target.wireName()
              + ": versions of one model are compared with each other, so use another name");
    }

    context.step("load");
    List<RunRow> stored = runs.latest(owner, p.path("max_rows").asInt(100_000));
    List<RunRow> usable =
        stored.stream().filter(r -> Features.usable(r) && target.of(r) > 0).toList();
    if (usable.size() < minRows) {
      throw TaskFailure.permanent(
          "NOT_ENOUGH_DATA",
          "only "
              + usable.size()
              + " of your "
              + stored.size()
              + " stored simulation runs have a positive "
              + target.wireName()
              + "; training needs at least min_rows="
              + minRows
              + ": run more analysis.run_simulation jobs or lower min_rows");
    }
    DatasetVersion dataset = DatasetVersion.of(usable);
    Split split = Split.of(usable, seed, testFraction);
    if (split.train().size() < 2 || split.test().size() < 2) {
      throw TaskFailure.permanent(
          "SPLIT_TOO_SMALL",
          "test_fraction="
              + testFraction
              + " of "
              + usable.size()
              + " runs leaves "
              + split.train().size()
              + " to train on and "
              + split.test().size()
              + " to test: both need at least 2");
    }

    context.step("train");
    Timer.Sample training = Timer.start(meters);
    Surrogate model = Surrogate.train(split.train(), target, seed);
    training.stop(meters.timer("kfm.ml.training", "target", target.wireName()));
    if (context.isCancelled()) {
      throw new IllegalStateException("retrain stopped");
    }

    context.step("evaluate");
    double[] actual = split.test().stream().mapToDouble(target::of).toArray();
    Scores holdout = Scores.of(actual, model.predict(split.test()));
    Optional<MlModel> champion = registry.promotedOtherThan(owner, name, context.jobId());
    Scores championScores = null;
    Promotion.Champion incumbent = null;
    if (champion.isPresent()) {
      championScores = Scores.of(actual, files.load(champion.get()).predict(split.test()));
      incumbent = new Promotion.Champion(champion.get().version, championScores.rmse());
    }
    Promotion promotion = Promotion.decide(holdout.rmse(), incumbent, margin);

    // A re-run of this job keeps the version it was given; a new job takes the next one.
    Optional<MlModel> previous = registry.ofJob(context.jobId());
    int version =
        previous.map(m -> m.version).orElseGet(() -> latest.map(m -> m.version + 1).orElse(1));

    context.step("store");
    Map<String, Object> lineage = context.lineage();
    // The runs trained on are a dataset version of their own, beside any the client named.
    Map<String, Object> versions = new LinkedHashMap<>();
    if (lineage.get("input_dataset_versions") instanceof Map<?, ?> given) {
      given.forEach((key, value) -> versions.put(String.valueOf(key), value));
    }
    versions.put("simulation_runs", dataset.text());
    lineage.put("input_dataset_versions", versions);
    ObjectNode summary =
        new RetrainSummary(
                name,
                version,
                target,
                dataset,
                split,
                seed,
                testFraction,
                holdout,
                champion.map(m -> m.version).orElse(null),
                championScores,
                promotion,
                margin,
                stored.size() - usable.size())
            .toJson();
    ArtifactRef artifact =
        context.artifact(modelFileName(version), "application/x-protobuf", model::writeTo);
    context.artifact(
        "metrics.json",
        "application/json",
        out ->
            out.write(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(summary)));

    MlModel row = new MlModel();
    row.jobId = context.jobId();
    row.owner = owner;
    row.name = name;
    row.version = version;
    row.target = target.wireName();
    row.algorithm = Surrogate.ALGORITHM;
    row.features = Wire.toJson(Features.NAMES);
    row.hyperparameters = Wire.toJson(Surrogate.hyperparameters());
    row.metrics = Wire.toJson(summary.path("metrics"));
    row.datasetVersion = dataset.text();
    row.artifactKey = artifact.key();
    row.artifactSize = artifact.size();
    row.sha256 = artifact.sha256();
    row.promoted = promotion.promoted();
    row.promotionReason = promotion.reason();
    row.lineage = Wire.toJson(lineage);
    row.createdAt = previous.map(m -> m.createdAt).orElse(Instant.now());
    register(context, row);

    meters
        .counter(
            "kfm.ml.models",
            "target",
            target.wireName(),
            "promoted",
            String.valueOf(promotion.promoted()))
        .increment();
    meters
        .summary("kfm.ml.training.rows", "target", target.wireName())
        .record(split.train().size());
    LOG.infof(
        "job=%s model %s v%d (%s) trained on %d runs, hold-out %d runs: rmse=%.6g mae=%.6g r2=%.4f;"
            + " promoted=%s (%s); %d bytes",
        context.jobId(),
        name,
        version,
        target.wireName(),
        split.train().size(),
        split.test().size(),
        holdout.rmse(),
        holdout.mae(),
        holdout.r2(),
        promotion.promoted(),
        promotion.reason(),
        artifact.size());
    summary.put("artifact", artifact.name());
    summary.put("bytes", artifact.size());
    summary.put("sha256", artifact.sha256());
    return summary;
  }

  /**
   * Stores the registry row in the job's output transaction. A promoted row first demotes the
   * name's other promoted version: the index allows one per name, checked as the rows are written.
   */
  private void register(TaskContext context, MlModel row) {
    outputs.store(
        context,
        session -> {
          Uni<Void> demote =
              row.promoted
                  ? session
                      .createMutationQuery(
                          "update MlModel set promoted = false"
                              + " where owner = :owner and name = :name and promoted = true"
                              + " and jobId <> :jobId")
                      .setParameter("owner", row.owner)
                      .setParameter("name", row.name)
                      .setParameter("jobId", row.jobId)
                      .executeUpdate()
                      .replaceWithVoid()
                  : Uni.createFrom().voidItem();
          return demote.chain(() -> session.merge(row)).replaceWithVoid();
        });
  }

  static String modelFileName(int version) {
    return "model-v" + version + ".bin";
  }
}
