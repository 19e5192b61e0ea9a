package org.kfm.tasks.worker.tasks.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileMath;

/** Sites drawn as dots: where they land, what stays background, and the same bytes every time. */
class SiteTileRendererTest {
  private static final int DOT = 0xFF000000 | SiteTileRenderer.DOT_RGB;
  private static final int OUTLINE = 0xFF000000 | SiteTileRenderer.OUTLINE_RGB;

  private static SitePoints points(double... lonLat) {
    double[] lon = new double[lonLat.length / 2];
    double[] lat = new double[lonLat.length / 2];
    for (int i = 0; i < lon.length; i++) {
      lon[i] = lonLat[2 * i];
      lat[i] = lonLat[2 * i + 1];
    }
    return SitePoints.of(lon, lat, lon.length);
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  @Test
  void aSiteIsADotAtItsProjectedPixelAndFarPixelsStayTransparent() throws IOException {
    Tile helsinki = new Tile(10, 582, 296);
    double lon = 24.94;
    double lat = 60.17;
    BufferedImage image = decode(SiteTileRenderer.render(helsinki, points(lon, lat)));

    // The projected position, computed from the tile formulas: x 582.9404 -> pixel 240,
    // y 296.3996 -> pixel 102.
    assertThat(SiteTileRenderer.pixelX(helsinki, lon)).isEqualTo(240);
    assertThat(SiteTileRenderer.pixelY(helsinki, lat)).isEqualTo(102);
    assertThat(image.getWidth()).isEqualTo(256);
    assertThat(image.getHeight()).isEqualTo(256);
    assertThat(image.getRGB(240, 102)).isEqualTo(DOT);
    assertThat(image.getRGB(240 + SiteTileRenderer.RADIUS, 102)).isEqualTo(DOT);
    assertThat(image.getRGB(240 + SiteTileRenderer.RADIUS + 1, 102)).isEqualTo(OUTLINE);
    assertThat(image.getRGB(10, 200) >>> 24).as("alpha far away").isZero();
    assertThat(image.getRGB(240 + SiteTileRenderer.RADIUS + 3, 102) >>> 24).isZero();
  }

  @Test
  void aSiteJustOverTheEdgePaintsTheEdgeOfTheNeighbour() throws IOException {
    Tile east = new Tile(10, 583, 296);
    // Two pixels west of the tile's west edge, on its middle row.
    double lon = TileMath.lon(583 - 2.0 / 256, 10);
    double lat = TileMath.lat(296.5, 10);
    BufferedImage image = decode(SiteTileRenderer.render(east, points(lon, lat)));

    assertThat(image.getRGB(0, 128)).isEqualTo(DOT);
    assertThat(image.getRGB(200, 128) >>> 24).isZero();
  }

  @Test
  void theSameSitesInAnyOrderGiveTheSameBytes() throws IOException {
    Tile tile = new Tile(8, 145, 74);
    double[] a = {24.94, 60.17, 24.95, 60.171, 23.0, 61.0, 24.0, 60.5};
    double[] b = {24.0, 60.5, 23.0, 61.0, 24.95, 60.171, 24.94, 60.17};

    byte[] first = SiteTileRenderer.render(tile, points(a));
    assertThat(SiteTileRenderer.render(tile, points(b))).isEqualTo(first);
    assertThat(SiteTileRenderer.render(tile, points(a))).isEqualTo(first);
    assertThat(Png.looksLikePng(first)).isTrue();
  }

  @Test
  void aTileWithoutSitesIsFullyTransparent() throws IOException {
    BufferedImage image = decode(SiteTileRenderer.render(new Tile(3, 1, 1), points(24.94, 60.17)));
    for (int y = 0; y < 256; y += 5) {
      for (int x = 0; x < 256; x += 5) {
        assertThat(image.getRGB(x, y) >>> 24).isZero();
      }
    }
  }

  @Test
  void pointsAreFoundByTheirBoxOnly() {
    SitePoints points = points(10, 10, -10, 10, 10.5, -5, 179.9, 0);
    int[] seen = {0};
    points.forEachWithin(9, -6, 11, 11, (lon, lat) -> seen[0]++);
    assertThat(seen[0]).isEqualTo(2);
  }
}
