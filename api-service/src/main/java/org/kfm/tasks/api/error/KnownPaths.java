package org.kfm.tasks.api.error;

import jakarta.enterprise.context.ApplicationScoped;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * Whether a path names something the API serves with some method: every path below {@code /api/v1/}
 * is matched by a resource's own template, and outside it only the task routes the specs name
 * exist.
 */
@ApplicationScoped
public class KnownPaths {
  private static final String VERSIONED = "/api/v1/";

  private final TaskCatalog catalog;

  public KnownPaths(TaskCatalog catalog) {
    this.catalog = catalog;
  }

  public boolean exists(String path) {
    return path.startsWith(VERSIONED)
        || catalog.findByRoute(new TaskSpec.HttpRoute("POST", path)).isPresent();
  }
}
