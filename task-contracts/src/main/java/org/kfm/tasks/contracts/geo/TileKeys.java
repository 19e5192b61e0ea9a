package org.kfm.tasks.contracts.geo;

import java.util.regex.Pattern;

/**
 * Where a warmed tile lives in the artifact store: {@code tiles/{layer}/{z}/{x}/{y}.png}. The
 * worker writes there and the api serves from there; a tile is cached when an object exists under
 * its key.
 */
public final class TileKeys {
  /** Layer names: lower-case letters, digits and '_', starting with a letter, at most 64. */
  public static final Pattern LAYER_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  private TileKeys() {}

  public static String of(String layer, Tile tile) {
    return prefixOf(layer) + tile.z() + "/" + tile.x() + "/" + tile.y() + ".png";
  }

  /** Every tile of a layer starts with this (for cleanup). */
  public static String prefixOf(String layer) {
    if (layer == null || !LAYER_NAME.matcher(layer).matches()) {
      throw new IllegalArgumentException("not a layer name: " + layer);
    }
    return "tiles/" + layer + "/";
  }
}
