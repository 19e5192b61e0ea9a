package org.kfm.tasks.worker.tasks.maintenance;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The worker's own links to files it is about to prune ({@code simulation_run_artifacts}): removed
 * before the files, so that a crash in between leaves files without a link, which the next prune
 * finds again, never a link to a file that is gone.
 */
@Singleton
class RunArtifactRecords {
  private static final String DELETE =
      "DELETE FROM worker.simulation_run_artifacts WHERE storage_key = ANY (?)";

  private final DataSource dataSource;

  RunArtifactRecords(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  private static final String REGISTERED_MODELS =
      "SELECT artifact_key FROM worker.ml_models WHERE artifact_key = ANY (?)";

  /**
   * The keys of these that hold registered models: the model registry decides when a model goes,
   * not the file's age (a promoted model may be years old).
   */
  Set<String> registeredModels(List<String> keys) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement select = conn.prepareStatement(REGISTERED_MODELS)) {
      select.setArray(1, conn.createArrayOf("text", keys.toArray()));
      Set<String> found = new HashSet<>();
      try (var rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1));
        }
      }
      return found;
    }
  }

  /** Deletes the links to these keys in one statement; returns how many there were. */
  int deleteByKeys(List<String> keys) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement delete = conn.prepareStatement(DELETE)) {
      delete.setArray(1, conn.createArrayOf("text", keys.toArray()));
      return delete.executeUpdate();
    }
  }
}
