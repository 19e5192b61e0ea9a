package org.kfm.tasks.worker.tasks.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromotionTest {
  private static final Promotion.Champion V3 = new Promotion.Champion(3, 10.0);

  @Test
  void theFirstVersionIsPromoted() {
    Promotion promotion = Promotion.decide(123.0, null, 0.05);

    assertThat(promotion.promoted()).isTrue();
    assertThat(promotion.reason()).contains("no version was promoted");
  }

  @Test
  void aBetterVersionIsPromoted() {
    assertThat(Promotion.decide(9.0, V3, 0.05).promoted()).isTrue();
  }

  @Test
  void aSlightlyWorseVersionWithinTheMarginIsPromoted() {
    assertThat(Promotion.decide(10.4, V3, 0.05).promoted()).isTrue();
    assertThat(Promotion.decide(10.5, V3, 0.05).promoted()).isTrue();
  }

  @Test
  void aVersionWorseByMoreThanTheMarginIsNotPromotedAndTheReasonSaysWhy() {
    Promotion promotion = Promotion.decide(10.6, V3, 0.05);

    assertThat(promotion.promoted()).isFalse();
    assertThat(promotion.reason())
        .contains("10.6")
        .contains("v3")
        .contains("5.0%")
        .contains("v3 stays promoted");
  }

  @Test
  void aZeroMarginPromotesOnlyAVersionAtLeastAsGood() {
    assertThat(Promotion.decide(10.0, V3, 0).promoted()).isTrue();
    assertThat(Promotion.decide(10.000001, V3, 0).promoted()).isFalse();
  }

  @Test
  void aModelWithoutAScoreIsNeverPromoted() {
    assertThat(Promotion.decide(Double.NaN, null, 0.05).promoted()).isFalse();
    assertThat(Promotion.decide(Double.POSITIVE_INFINITY, V3, 10).promoted()).isFalse();
  }

  @Test
  void refusesANegativeMargin() {
    assertThatThrownBy(() -> Promotion.decide(1, V3, -0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
