package org.kfm.tasks.worker.tasks.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.exports.CsvExport;
import org.kfm.tasks.exports.GeoJsonExport;

/**
 * {@code exports.dataset}: streams a dataset's matching rows from the worker's schema into a CSV or
 * GeoJSON artifact. The read is a server-side cursor (JDBC, fetch size {@value #FETCH_SIZE}) on
 * this handler's thread: rows flow to the file as they arrive and memory stays flat.
 */
@ApplicationScoped
public class DatasetExportHandler implements TaskHandler {
  private static final Logger LOG = Logger.getLogger(DatasetExportHandler.class);
  static final int FETCH_SIZE = 1000;

  private final DataSource dataSource;

  public DatasetExportHandler(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public String task() {
    return "exports.dataset";
  }

  @Override
  public JsonNode run(TaskContext context) throws IOException, SQLException {
    JsonNode p = context.params();
    Dataset dataset = Dataset.named(p.path("dataset").asText());
    String format = p.path("format").asText();
    boolean geojson = "geojson".equals(format);
    if (geojson && !dataset.hasGeometry()) {
      // Submit refuses this already; a command from an older api still gets a clear answer.
      throw TaskFailure.permanent(
          "NO_GEOMETRY", dataset.name() + " has no geometry: export it as csv");
    }
    DatasetQuery query = DatasetQuery.of(dataset, context.owner(), p.path("filters"));
    try (Connection conn = dataSource.getConnection()) {
      // A cursor needs a transaction; the export only reads.
      conn.setAutoCommit(false);
      conn.setReadOnly(true);
      context.step("count");
      long total = count(conn, query);
      if (total == 0 && !p.path("allow_empty").asBoolean(false)) {
        throw TaskFailure.permanent(
            "EMPTY_EXPORT",
            "no "
                + dataset.name()
                + " rows match the filters; set allow_empty to export a file with the header only");
      }
      context.step("write");
      String name = dataset.name() + (geojson ? ".geojson" : ".csv");
      String contentType = geojson ? "application/geo+json" : "text/csv; charset=utf-8";
      AtomicLong written = new AtomicLong();
      ArtifactRef artifact;
      try (PreparedStatement rows = query.rows(conn)) {
        rows.setFetchSize(FETCH_SIZE);
        artifact =
            context.artifact(
                name,
                contentType,
                out -> {
                  try (ResultSet result = rows.executeQuery()) {
                    ResultSetRows source =
                        new ResultSetRows(
                            result,
                            dataset,
                            geojson,
                            n -> context.progress((double) n / total, n + " of " + total + " rows"),
                            () -> stopIfAsked(context));
                    var columns = ResultSetRows.columns(dataset, geojson);
                    written.set(
                        geojson
                            ? GeoJsonExport.write(columns, source, out)
                            : CsvExport.write(columns, source, out));
                  } catch (SQLException e) {
                    throw new IOException("reading " + dataset.name() + " failed", e);
                  }
                });
      }
      conn.commit();
      LOG.infof(
          "job=%s exported %d %s rows as %s (%d bytes)",
          context.jobId(), written.get(), dataset.name(), format, artifact.size());
      ObjectNode result = Wire.mapper().createObjectNode();
      result.put("dataset", dataset.name());
      result.put("format", format);
      result.put("rows", written.get());
      result.put("artifact", artifact.name());
      result.put("bytes", artifact.size());
      result.put("sha256", artifact.sha256());
      return result;
    }
  }

  private static long count(Connection conn, DatasetQuery query) throws SQLException {
    try (PreparedStatement count = query.count(conn);
        ResultSet result = count.executeQuery()) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void stopIfAsked(TaskContext context) {
    if (context.isCancelled() || Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("export stopped");
    }
  }
}
