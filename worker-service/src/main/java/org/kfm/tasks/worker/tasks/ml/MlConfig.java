package org.kfm.tasks.worker.tasks.ml;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the ML tasks ({@code kfm.ml.*}). */
@ConfigMapping(prefix = "kfm.ml")
public interface MlConfig {
  /**
   * How much worse (relative hold-out RMSE) a new version may be than the promoted one and still
   * replace it; a retrain's {@code promotion_margin} input overrides it.
   */
  @WithDefault("0.05")
  double promotionMargin();
}
