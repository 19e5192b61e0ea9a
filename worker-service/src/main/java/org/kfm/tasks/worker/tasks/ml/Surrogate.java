package org.kfm.tasks.worker.tasks.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.VariableInfo;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.slm.ElasticNetCDTrainer;

/**
 * A cheap stand-in for the simulation: a Tribuo linear model of the log of a run's statistic on
 * {@link Features}. Fitting in log space makes the model exact for the mean (a sum of logs) and
 * keeps every prediction positive, as losses are. The regularisation is light: it only steadies the
 * fit when few runs are available or features move together (sigma and its square).
 *
 * <p>The file format is Tribuo's protobuf model ({@code Model.serializeToStream}), not Java
 * serialization: reading it instantiates no classes named by the file.
 */
final class Surrogate {
  static final String ALGORITHM = "tribuo-elastic-net-cd/log-target";
  static final double ALPHA = 1e-4;
  static final double L1_RATIO = 0.01;
  static final double TOLERANCE = 1e-8;
  static final int MAX_ITERATIONS = 50_000;

  private final Model<Regressor> model;
  private final Target target;

  private Surrogate(Model<Regressor> model, Target target) {
    this.model = model;
    this.target = target;
  }

  /** Trains on runs whose target is positive; the caller filters the others out. */
  static Surrogate train(List<RunRow> rows, Target target, long seed) {
    RegressionFactory factory = new RegressionFactory();
    MutableDataset<Regressor> dataset =
        new MutableDataset<>(
            new SimpleDataSourceProvenance("worker.simulation_runs", factory), factory);
    String[] names = Features.NAMES.toArray(String[]::new);
    for (RunRow row : rows) {
      double value = target.of(row);
      if (!(value > 0)) {
        throw new IllegalArgumentException("run " + row.jobId() + " has no positive " + target);
      }
      dataset.add(
          new ArrayExample<>(
              new Regressor(target.wireName(), Math.log(value)), names, Features.of(row)));
    }
    // Cyclic coordinate order (randomise=false): the fit depends on the rows alone.
    ElasticNetCDTrainer trainer =
        new ElasticNetCDTrainer(ALPHA, L1_RATIO, TOLERANCE, MAX_ITERATIONS, false, seed);
    return new Surrogate(trainer.train(dataset), target);
  }

  static Map<String, Object> hyperparameters() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("alpha", ALPHA);
    settings.put("l1Ratio", L1_RATIO);
    settings.put("tolerance", TOLERANCE);
    settings.put("maxIterations", MAX_ITERATIONS);
    settings.put("targetTransform", "ln");
    return settings;
  }

  double predict(RunRow row) {
    ArrayExample<Regressor> example =
        new ArrayExample<>(
            RegressionFactory.UNKNOWN_REGRESSOR,
            Features.NAMES.toArray(String[]::new),
            Features.of(row));
    return Math.exp(model.predict(example).getOutput().getValues()[0]);
  }

  double[] predict(List<RunRow> rows) {
    double[] predicted = new double[rows.size()];
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] = predict(rows.get(i));
    }
    return predicted;
  }

  Target target() {
    return target;
  }

  void writeTo(OutputStream out) throws IOException {
    model.serializeToStream(out);
  }

  /**
   * Reads a model written by {@link #writeTo}.
   *
   * @throws IllegalArgumentException when the bytes are not a regression model over {@link
   *     Features}
   */
  static Surrogate read(InputStream in, Target target) {
    Model<Regressor> model;
    try {
      model = Model.deserializeFromStream(in).castModel(Regressor.class);
    } catch (IOException | RuntimeException e) {
      // Unparseable bytes, another kind of model, or a file from an incompatible Tribuo.
      throw new IllegalArgumentException("not a Tribuo regression model: " + e.getMessage(), e);
    }
    List<String> names = new ArrayList<>();
    for (VariableInfo info : model.getFeatureIDMap()) {
      names.add(info.getName());
    }
    if (!names.containsAll(Features.NAMES) || names.size() != Features.NAMES.size()) {
      throw new IllegalArgumentException(
          "the model's features " + names + " are not this worker's " + Features.NAMES);
    }
    return new Surrogate(model, target);
  }
}
