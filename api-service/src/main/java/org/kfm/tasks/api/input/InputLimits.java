package org.kfm.tasks.api.input;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds on the free-form JSON a client sends ({@code params}, {@code lineage}, a task route's
 * body), checked before a task's schema sees it. The body as a whole is bounded by {@code
 * quarkus.http.limits.max-body-size}.
 */
@ConfigMapping(prefix = "kfm.input")
public interface InputLimits {
  /** Levels of objects and arrays below {@code params}; a task's params are a few levels deep. */
  @WithDefault("12")
  int maxDepth();

  /** Members and elements in all, so a flat but huge document is refused too. */
  @WithDefault("10000")
  int maxNodes();

  /** Characters in one string value or one member name. */
  @WithDefault("8192")
  int maxStringLength();
}
