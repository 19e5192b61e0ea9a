package org.kfm.tasks.worker.tasks.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoresTest {
  @Test
  void perfectPredictionsHaveNoErrorAndExplainEverything() {
    Scores scores = Scores.of(new double[] {1, 2, 3}, new double[] {1, 2, 3});

    assertThat(scores.rmse()).isZero();
    assertThat(scores.mae()).isZero();
    assertThat(scores.r2()).isEqualTo(1.0);
  }

  @Test
  void errorsAreInTheTargetsUnits() {
    // errors +1, -1, +2, -2: squared mean 2.5, absolute mean 1.5; actual variance sum 20
    Scores scores = Scores.of(new double[] {2, 4, 6, 8}, new double[] {3, 3, 8, 6});

    assertThat(scores.n()).isEqualTo(4);
    assertThat(scores.rmse()).isCloseTo(Math.sqrt(2.5), within(1e-12));
    assertThat(scores.mae()).isCloseTo(1.5, within(1e-12));
    assertThat(scores.r2()).isCloseTo(1 - 10.0 / 20.0, within(1e-12));
  }

  @Test
  void predictingTheMeanExplainsNothing() {
    assertThat(Scores.of(new double[] {1, 3}, new double[] {2, 2}).r2()).isZero();
  }

  @Test
  void rSquaredOfConstantActualsIsUndefined() {
    assertThat(Scores.of(new double[] {5, 5}, new double[] {4, 6}).r2()).isNaN();
  }
}
