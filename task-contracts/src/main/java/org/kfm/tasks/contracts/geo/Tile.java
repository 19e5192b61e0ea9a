package org.kfm.tasks.contracts.geo;

/**
 * One Web Mercator tile in the XYZ ("slippy map") scheme: {@code x} grows eastwards from the
 * antimeridian, {@code y} southwards from the northern edge (about 85.0511° N), both from 0 to
 * {@code 2^z - 1}.
 */
public record Tile(int z, int x, int y) {
  /** The deepest zoom the platform warms or serves. */
  public static final int MAX_ZOOM = 18;

  public Tile {
    if (z < 0 || z > MAX_ZOOM) {
      throw new IllegalArgumentException("zoom " + z + " is outside 0.." + MAX_ZOOM);
    }
    int n = 1 << z;
    if (x < 0 || x >= n || y < 0 || y >= n) {
      throw new IllegalArgumentException(
          "tile " + z + "/" + x + "/" + y + ": x and y must lie in 0.." + (n - 1));
    }
  }

  /** Whether {@code z/x/y} names a tile (zoom in 0..18, x and y inside its grid). */
  public static boolean isValid(int z, int x, int y) {
    return z >= 0 && z <= MAX_ZOOM && x >= 0 && y >= 0 && x < (1 << z) && y < (1 << z);
  }

  @Override
  public String toString() {
    return z + "/" + x + "/" + y;
  }
}
