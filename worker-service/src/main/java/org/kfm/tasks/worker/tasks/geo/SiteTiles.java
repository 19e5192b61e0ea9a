package org.kfm.tasks.worker.tasks.geo;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import javax.sql.DataSource;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileMath;
import org.kfm.tasks.contracts.geo.TileRange;
import org.kfm.tasks.contracts.geo.TileWarmRequest;

/**
 * The {@code simulation_sites} dataset layer: the sites of all stored simulation runs, whoever ran
 * them, drawn as dots. The picture holds locations only (no owner, scenario or numbers). The
 * located runs around the request's box are read once per job, then each tile is drawn from memory.
 */
final class SiteTiles implements TileSource {
  static final String DATASET = "simulation_sites";

  private static final String QUERY =
      "SELECT site_lon, site_lat FROM worker.simulation_runs"
          + " WHERE site_lon BETWEEN ? AND ? AND site_lat BETWEEN ? AND ? LIMIT ?";

  private final SitePoints points;

  SiteTiles(SitePoints points) {
    this.points = points;
  }

  int points() {
    return points.size();
  }

  /**
   * Loads the sites a request's tiles can show: those inside its tiles at {@code min_zoom} (every
   * deeper tile lies inside one of them) and one tile beyond, for dots that reach over an edge.
   */
  static SiteTiles load(DataSource dataSource, TileWarmRequest request, int maxPoints)
      throws SQLException {
    int z = request.minZoom();
    TileRange range = TileMath.rangeOf(request.box(), z);
    int last = TileMath.tilesPerSide(z) - 1;
    double west = TileMath.lon(Math.max(0, range.xMin() - 1), z);
    double east = TileMath.lon(Math.min(last, range.xMax() + 1) + 1, z);
    double north = TileMath.lat(Math.max(0, range.yMin() - 1), z);
    double south = TileMath.lat(Math.min(last, range.yMax() + 1) + 1, z);
    double[] lon = new double[1024];
    double[] lat = new double[1024];
    int count = 0;
    try (Connection conn = dataSource.getConnection()) {
      // A cursor needs a transaction; the layer only reads.
      conn.setAutoCommit(false);
      conn.setReadOnly(true);
      try (PreparedStatement query = conn.prepareStatement(QUERY)) {
        query.setDouble(1, west);
        query.setDouble(2, east);
        query.setDouble(3, south);
        query.setDouble(4, north);
        query.setInt(5, maxPoints + 1);
        query.setFetchSize(10_000);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            if (count == maxPoints) {
              throw TaskFailure.permanent(
                  "TOO_MANY_POINTS",
                  "more than "
                      + maxPoints
                      + " located runs lie in the box; warm a smaller box or raise"
                      + " kfm.tiles.dataset-max-points");
            }
            if (count == lon.length) {
              lon = Arrays.copyOf(lon, count * 2);
              lat = Arrays.copyOf(lat, count * 2);
            }
            lon[count] = rows.getDouble(1);
            lat[count] = rows.getDouble(2);
            count++;
          }
        }
      }
      conn.commit();
    }
    return new SiteTiles(SitePoints.of(lon, lat, count));
  }

  @Override
  public byte[] tile(Tile tile) throws IOException {
    return SiteTileRenderer.render(tile, points);
  }
}
