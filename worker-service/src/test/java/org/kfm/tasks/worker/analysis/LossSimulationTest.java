package org.kfm.tasks.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.worker.tasks.analysis.LossSimulation;
import org.kfm.tasks.worker.tasks.analysis.LossSimulation.Scenario;

class LossSimulationTest {
  private static final Scenario SCENARIO = new Scenario(200_000, 1, 2.0, 1.0, 0.5, 20);

  @Test
  void theSameSeedGivesTheSameOutcome() {
    var first = LossSimulation.run(SCENARIO, 7L, f -> {}, () -> false);
    var second = LossSimulation.run(SCENARIO, 7L, f -> {}, () -> false);
    assertThat(second.mean()).isEqualTo(first.mean());
    assertThat(second.binCounts()).isEqualTo(first.binCounts());
    var other = LossSimulation.run(SCENARIO, 8L, f -> {}, () -> false);
    assertThat(other.mean()).isNotEqualTo(first.mean());
  }

  @Test
  void theMeanMatchesTheCompoundPoissonExpectationWithinSamplingError() {
    // E[S] = lambda * E[X], Var[S] = lambda * E[X^2] for a compound Poisson sum.
    double ex = Math.exp(1.0 + 0.5 * 0.5 / 2);
    double ex2 = Math.exp(2 * 1.0 + 2 * 0.5 * 0.5);
    double expectedMean = 2.0 * ex;
    double expectedStd = Math.sqrt(2.0 * ex2);

    var outcome = LossSimulation.run(SCENARIO, 42L, f -> {}, () -> false);

    double standardError = expectedStd / Math.sqrt(SCENARIO.runs());
    assertThat(outcome.mean())
        .isCloseTo(expectedMean, org.assertj.core.data.Offset.offset(4 * standardError));
    assertThat(outcome.stdDev())
        .isCloseTo(expectedStd, org.assertj.core.data.Percentage.withPercentage(2));
    // P(no event) = e^-lambda
    assertThat(1 - outcome.probabilityOfLoss())
        .isCloseTo(Math.exp(-2.0), org.assertj.core.data.Offset.offset(0.005));
    assertThat(outcome.p5()).isLessThanOrEqualTo(outcome.p50());
    assertThat(outcome.p50()).isLessThanOrEqualTo(outcome.p95());
    assertThat(outcome.p95()).isLessThanOrEqualTo(outcome.p99());
    assertThat(Arrays.stream(outcome.binCounts()).sum()).isEqualTo(SCENARIO.runs());
    assertThat(outcome.binEdges()).hasSize(21);
  }

  @Test
  void progressIsReportedAndAStopRequestIsHonoured() {
    List<Double> reported = new ArrayList<>();
    LossSimulation.run(new Scenario(10_000, 1, 1, 0, 1, 10), 1L, reported::add, () -> false);
    assertThat(reported).hasSizeGreaterThan(50).isSorted();

    assertThatThrownBy(() -> LossSimulation.run(SCENARIO, 1L, f -> {}, () -> true))
        .isInstanceOf(LossSimulation.Stopped.class);
  }
}
