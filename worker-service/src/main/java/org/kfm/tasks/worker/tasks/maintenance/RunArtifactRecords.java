package org.kfm.tasks.worker.tasks.maintenance;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
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

  /** Deletes the links to these keys in one statement; returns how many there were. */
  int deleteByKeys(List<String> keys) throws SQLException {
    try (Connection conn = dataSource.getConnection();
        PreparedStatement delete = conn.prepareStatement(DELETE)) {
      delete.setArray(1, conn.createArrayOf("text", keys.toArray()));
      return delete.executeUpdate();
    }
  }
}
