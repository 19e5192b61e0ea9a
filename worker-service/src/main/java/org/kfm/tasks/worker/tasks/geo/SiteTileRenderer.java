package org.kfm.tasks.worker.tasks.geo;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileMath;

/**
 * Draws points as dots on a transparent 256x256 tile, as a three-colour PNG. Deterministic: pixels
 * are set, never blended, all outlines before all fills, so the same points give the same bytes in
 * any order (on the same JDK, whose PNG writer adds no timestamp).
 */
final class SiteTileRenderer {
  static final int SIZE = 256;
  static final int RADIUS = 4;

  /** Fill of a dot: a strong red; the outline is white so dots show on dark and light maps. */
  static final int DOT_RGB = 0xD7301F;

  static final int OUTLINE_RGB = 0xFFFFFF;

  private static final byte TRANSPARENT = 0;
  private static final byte OUTLINE = 1;
  private static final byte DOT = 2;
  private static final IndexColorModel PALETTE =
      new IndexColorModel(
          8,
          3,
          new byte[] {0, (byte) (OUTLINE_RGB >> 16), (byte) (DOT_RGB >> 16)},
          new byte[] {0, (byte) (OUTLINE_RGB >> 8), (byte) (DOT_RGB >> 8)},
          new byte[] {0, (byte) OUTLINE_RGB, (byte) DOT_RGB},
          new byte[] {0, (byte) 0xff, (byte) 0xff});

  private SiteTileRenderer() {}

  static byte[] render(Tile tile, SitePoints points) throws IOException {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_INDEXED, PALETTE);
    WritableRaster raster = image.getRaster();
    int z = tile.z();
    // Points up to a dot's reach beyond the tile still paint its edge.
    double margin = (RADIUS + 2.0) / SIZE;
    double west = TileMath.lon(tile.x() - margin, z);
    double east = TileMath.lon(tile.x() + 1 + margin, z);
    double north = Math.min(TileMath.lat(tile.y() - margin, z), TileMath.MAX_LATITUDE);
    double south = Math.max(TileMath.lat(tile.y() + 1 + margin, z), -TileMath.MAX_LATITUDE);
    points.forEachWithin(
        west, south, east, north, (lon, lat) -> disc(raster, tile, lon, lat, RADIUS + 1, OUTLINE));
    points.forEachWithin(
        west, south, east, north, (lon, lat) -> disc(raster, tile, lon, lat, RADIUS, DOT));
    ByteArrayOutputStream png = new ByteArrayOutputStream(1024);
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("this JDK has no PNG writer");
    }
    return png.toByteArray();
  }

  /** The pixel of the tile a point falls on (may lie outside 0..255 for points nearby). */
  static int pixelX(Tile tile, double lon) {
    return (int) Math.floor((TileMath.x(lon, tile.z()) - tile.x()) * SIZE);
  }

  static int pixelY(Tile tile, double lat) {
    return (int) Math.floor((TileMath.y(lat, tile.z()) - tile.y()) * SIZE);
  }

  private static void disc(
      WritableRaster raster, Tile tile, double lon, double lat, int radius, byte colour) {
    int cx = pixelX(tile, lon);
    int cy = pixelY(tile, lat);
    int[] sample = {colour};
    for (int dy = -radius; dy <= radius; dy++) {
      int py = cy + dy;
      if (py < 0 || py >= SIZE) {
        continue;
      }
      for (int dx = -radius; dx <= radius; dx++) {
        int px = cx + dx;
        if (px >= 0 && px < SIZE && dx * dx + dy * dy <= radius * radius) {
          raster.setPixel(px, py, sample);
        }
      }
    }
  }
}
