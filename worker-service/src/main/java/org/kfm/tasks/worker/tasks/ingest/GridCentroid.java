package org.kfm.tasks.worker.tasks.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a grid cell's polygon is, as one point: the area centroid of its outer ring. NWS cells are
 * a few kilometres wide, so planar arithmetic on degrees is accurate enough for a map marker.
 */
final class GridCentroid {
  private GridCentroid() {}

  /**
   * @param coordinates a GeoJSON Polygon's {@code coordinates} (rings of [lon, lat])
   * @return {lon, lat}
   */
  static double[] of(JsonNode coordinates) {
    JsonNode ring = coordinates.get(0);
    int n = ring.size();
    // A closed ring repeats its first position last; count it once.
    if (n > 1 && ring.get(0).equals(ring.get(n - 1))) {
      n--;
    }
    double area2 = 0;
    double cx = 0;
    double cy = 0;
    double sumX = 0;
    double sumY = 0;
    // Relative to the first vertex: keeps the products small and precise.
    double x0 = ring.get(0).get(0).asDouble();
    double y0 = ring.get(0).get(1).asDouble();
    for (int i = 0; i < n; i++) {
      double xi = ring.get(i).get(0).asDouble() - x0;
      double yi = ring.get(i).get(1).asDouble() - y0;
      double xj = ring.get((i + 1) % n).get(0).asDouble() - x0;
      double yj = ring.get((i + 1) % n).get(1).asDouble() - y0;
      double cross = xi * yj - xj * yi;
      area2 += cross;
      cx += (xi + xj) * cross;
      cy += (yi + yj) * cross;
      sumX += xi;
      sumY += yi;
    }
    if (Math.abs(area2) < 1e-12) {
      // A degenerate ring (all points on a line): the mean of its vertices.
      return new double[] {x0 + sumX / n, y0 + sumY / n};
    }
    return new double[] {x0 + cx / (3 * area2), y0 + cy / (3 * area2)};
  }
}
