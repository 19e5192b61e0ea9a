package org.kfm.tasks.worker.tasks.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The surrogate on real simulation outputs: it learns them, and survives its file format. */
class SurrogateTest {
  private static final List<RunRow> RUNS =
      SimulatedRuns.rows(SimulatedRuns.generate("surrogate-test", 60, 11), "s");
  private static final Split SPLIT = Split.of(RUNS, 42, 0.25);

  private static Scores holdout(Surrogate model, Target target) {
    double[] actual = SPLIT.test().stream().mapToDouble(target::of).toArray();
    return Scores.of(actual, model.predict(SPLIT.test()));
  }

  @Test
  void predictsTheMeanOfHeldOutRunsAlmostExactly() {
    // In log space the mean is linear in the features, so only the simulation's noise remains.
    Scores scores = holdout(Surrogate.train(SPLIT.train(), Target.MEAN, 42), Target.MEAN);

    assertThat(scores.r2()).isGreaterThan(0.97);
  }

  @Test
  void predictsTheP95OfHeldOutRunsWell() {
    Scores scores = holdout(Surrogate.train(SPLIT.train(), Target.P95, 42), Target.P95);

    assertThat(scores.r2()).isGreaterThan(0.9);
  }

  @Test
  void trainingTwiceOnTheSameRunsGivesTheSamePredictions() {
    double[] first = Surrogate.train(SPLIT.train(), Target.P95, 42).predict(SPLIT.test());
    double[] second = Surrogate.train(SPLIT.train(), Target.P95, 42).predict(SPLIT.test());

    assertThat(second).containsExactly(first);
  }

  @Test
  void aStoredModelPredictsExactlyAsTheTrainedOne() throws Exception {
    Surrogate trained = Surrogate.train(SPLIT.train(), Target.P95, 42);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    trained.writeTo(bytes);

    Surrogate read = Surrogate.read(new ByteArrayInputStream(bytes.toByteArray()), Target.P95);

    assertThat(read.predict(SPLIT.test())).containsExactly(trained.predict(SPLIT.test()));
  }

  @Test
  void bytesThatAreNotAModelAreRefused() {
    byte[] garbage = "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Surrogate.read(new ByteArrayInputStream(garbage), Target.P95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Tribuo regression model");
  }

  @Test
  void aTinyTrainingSetPredictsWorse() {
    Split tiny = Split.of(RUNS, 42, 0.9);
    double[] actual = tiny.test().stream().mapToDouble(Target.P95::of).toArray();

    Scores few =
        Scores.of(actual, Surrogate.train(tiny.train(), Target.P95, 42).predict(tiny.test()));
    Scores many =
        Scores.of(actual, Surrogate.train(SPLIT.train(), Target.P95, 42).predict(tiny.test()));

    assertThat(few.rmse()).isGreaterThan(many.rmse() * 1.05);
  }
}
