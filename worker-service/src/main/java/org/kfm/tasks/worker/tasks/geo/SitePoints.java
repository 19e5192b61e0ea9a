package org.kfm.tasks.worker.tasks.geo;

import java.util.Arrays;

/**
 * Points (longitude, latitude) sorted by longitude, so the points of one tile are found by a binary
 * search on its west edge and a scan to its east edge. Kept as two primitive arrays: a million
 * points take 16 MB.
 */
final class SitePoints {
  /** Longitude quantum of the sort key: 1e-7° (about a centimetre). */
  private static final double QUANTUM = 1e7;

  private final double[] lon;
  private final double[] lat;

  private SitePoints(double[] lon, double[] lat) {
    this.lon = lon;
    this.lat = lat;
  }

  static SitePoints of(double[] lon, double[] lat, int count) {
    // Sort key: the quantised longitude (fits 32 bits once shifted positive) above the index.
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      long quantised = Math.round((lon[i] + 180.0) * QUANTUM);
      keys[i] = (quantised << 32) | i;
    }
    Arrays.sort(keys);
    double[] sortedLon = new double[count];
    double[] sortedLat = new double[count];
    for (int i = 0; i < count; i++) {
      int index = (int) (keys[i] & 0xffffffffL);
      sortedLon[i] = lon[index];
      sortedLat[i] = lat[index];
    }
    return new SitePoints(sortedLon, sortedLat);
  }

  int size() {
    return lon.length;
  }

  interface Visitor {
    void visit(double lon, double lat);
  }

  /** Visits every point inside the box (edges included). */
  void forEachWithin(double west, double south, double east, double north, Visitor visitor) {
    // The sort is by quantised longitude: start one quantum early so no point is missed.
    int i = firstAtOrAfter(west - 1.0 / QUANTUM);
    for (; i < lon.length && lon[i] <= east + 1.0 / QUANTUM; i++) {
      if (lon[i] >= west && lon[i] <= east && lat[i] >= south && lat[i] <= north) {
        visitor.visit(lon[i], lat[i]);
      }
    }
  }

  private int firstAtOrAfter(double value) {
    int low = 0;
    int high = lon.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (lon[mid] < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
