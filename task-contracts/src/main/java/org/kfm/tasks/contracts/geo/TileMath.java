package org.kfm.tasks.contracts.geo;

/**
 * Web Mercator (EPSG:3857) tile arithmetic, as OpenStreetMap's slippy-map tiles define it.
 * Fractional tile coordinates are in tile units: the integer part is the tile, the fraction the
 * position inside it (times 256 for a pixel of a 256-pixel tile).
 */
public final class TileMath {
  /** The latitude where Web Mercator's square world ends: atan(sinh(π)), in degrees. */
  public static final double MAX_LATITUDE = Math.toDegrees(Math.atan(Math.sinh(Math.PI)));

  private TileMath() {}

  /** Tiles along one side of the world at zoom {@code z}. */
  public static int tilesPerSide(int z) {
    return 1 << z;
  }

  /** The fractional x of a longitude at zoom {@code z}: 0 at 180° W, {@code 2^z} at 180° E. */
  public static double x(double lon, int z) {
    return (lon + 180.0) / 360.0 * tilesPerSide(z);
  }

  /**
   * The fractional y of a latitude at zoom {@code z}: 0 at the northern edge, {@code 2^z} at the
   * southern. Latitudes beyond {@link #MAX_LATITUDE} are clamped to it.
   */
  public static double y(double lat, int z) {
    double rad = Math.toRadians(clampLatitude(lat));
    double mercator = Math.log(Math.tan(rad) + 1.0 / Math.cos(rad));
    return (1.0 - mercator / Math.PI) / 2.0 * tilesPerSide(z);
  }

  /** The tile holding a point; a point on the eastern or southern world edge is in the last one. */
  public static Tile tileOf(double lon, double lat, int z) {
    int last = tilesPerSide(z) - 1;
    return new Tile(
        z,
        clamp((int) Math.floor(x(lon, z)), 0, last),
        clamp((int) Math.floor(y(lat, z)), 0, last));
  }

  /** The longitude at fractional x (the inverse of {@link #x}). */
  public static double lon(double x, int z) {
    return x / tilesPerSide(z) * 360.0 - 180.0;
  }

  /** The latitude at fractional y (the inverse of {@link #y}). */
  public static double lat(double y, int z) {
    double n = Math.PI - 2.0 * Math.PI * y / tilesPerSide(z);
    return Math.toDegrees(Math.atan(Math.sinh(n)));
  }

  public static double clampLatitude(double lat) {
    return Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  }

  /**
   * The tiles at zoom {@code z} that share area with the box. A box edge lying exactly on a tile
   * edge does not pull in the tile beyond it, which only touches the box. Empty when the box has no
   * area left after clamping its latitudes to Web Mercator's range.
   */
  public static TileRange rangeOf(BoundingBox box, int z) {
    int last = tilesPerSide(z) - 1;
    int xMin = clamp((int) Math.floor(snap(x(box.west(), z))), 0, last);
    int xMax = clamp((int) Math.ceil(snap(x(box.east(), z))) - 1, 0, last);
    int yMin = clamp((int) Math.floor(snap(y(box.north(), z))), 0, last);
    int yMax = (int) Math.ceil(snap(y(box.south(), z))) - 1;
    if (clampLatitude(box.north()) <= clampLatitude(box.south())) {
      // Both edges clamped to the same pole: the box lies wholly beyond the projection.
      return TileRange.empty(z);
    }
    return new TileRange(z, xMin, Math.max(xMin, xMax), yMin, clamp(yMax, yMin, last));
  }

  /**
   * A coordinate within a billionth of a tile of a tile edge is on it: an edge given as a tile's
   * own edge (through {@link #lat}) comes back a rounding error off, which must not pull in a
   * neighbour.
   */
  private static double snap(double tiles) {
    double edge = Math.rint(tiles);
    return Math.abs(tiles - edge) < 1e-9 ? edge : tiles;
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
