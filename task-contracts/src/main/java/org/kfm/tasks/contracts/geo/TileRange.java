package org.kfm.tasks.contracts.geo;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The tiles of one zoom inside inclusive column and row bounds; {@link #empty} has none. Iterates
 * row by row, west to east, so neighbouring tiles are produced together.
 */
public record TileRange(int z, int xMin, int xMax, int yMin, int yMax) implements Iterable<Tile> {

  public static TileRange empty(int z) {
    return new TileRange(z, 0, -1, 0, -1);
  }

  public long count() {
    if (xMax < xMin || yMax < yMin) {
      return 0;
    }
    return (long) (xMax - xMin + 1) * (yMax - yMin + 1);
  }

  @Override
  public Iterator<Tile> iterator() {
    return new Iterator<>() {
      private int x = xMin;
      private int y = count() == 0 ? yMax + 1 : yMin;

      @Override
      public boolean hasNext() {
        return y <= yMax;
      }

      @Override
      public Tile next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Tile tile = new Tile(z, x, y);
        if (++x > xMax) {
          x = xMin;
          y++;
        }
        return tile;
      }
    };
  }

  @Override
  public String toString() {
    return "z" + z + " x " + xMin + ".." + xMax + " y " + yMin + ".." + yMax;
  }
}
