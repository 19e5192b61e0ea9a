package org.kfm.tasks.contracts.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Slippy-map tile arithmetic against tiles known from OpenStreetMap (checked by hand with the
 * formulas of the OSM wiki, independently of this code).
 */
class TileMathTest {

  @ParameterizedTest(name = "{0}: ({1}, {2}) at z{3} is {4}/{5}")
  @CsvSource({
    "anywhere at zoom 0, 24.94, 60.17, 0, 0, 0",
    "Helsinki, 24.94, 60.17, 10, 582, 296",
    "London, -0.1278, 51.5074, 12, 2046, 1362",
    "Tokyo, 139.6917, 35.6895, 15, 29099, 12902",
    "Null Island (lands north-east), 0, 0, 1, 1, 1",
    "Rio de Janeiro, -43.1729, -22.9068, 8, 97, 144",
  })
  void knownPlacesFallOnTheirKnownTiles(String place, double lon, double lat, int z, int x, int y) {
    assertThat(TileMath.tileOf(lon, lat, z)).isEqualTo(new Tile(z, x, y));
  }

  @Test
  void theWorldsEdgesFallInTheEdgeTiles() {
    assertThat(TileMath.tileOf(-180, 85.0511, 3)).isEqualTo(new Tile(3, 0, 0));
    assertThat(TileMath.tileOf(180, -85.0511, 3)).isEqualTo(new Tile(3, 7, 7));
    // Beyond Web Mercator's latitudes a point is clamped to the edge row.
    assertThat(TileMath.tileOf(10, 89.9, 5).y()).isZero();
    assertThat(TileMath.tileOf(10, -89.9, 5).y()).isEqualTo(31);
    assertThat(TileMath.MAX_LATITUDE).isCloseTo(85.0511287798, within(1e-9));
  }

  @Test
  void tileEdgesInvertToTheirCoordinates() {
    assertThat(TileMath.lon(582, 10)).isCloseTo(24.609375, within(1e-12));
    assertThat(TileMath.lat(0, 4)).isCloseTo(TileMath.MAX_LATITUDE, within(1e-9));
    assertThat(TileMath.lat(8, 4)).isCloseTo(0, within(1e-9));
    for (double lat : new double[] {-80, -33.3, 0.001, 45, 60.17, 85}) {
      assertThat(TileMath.lat(TileMath.y(lat, 12), 12)).isCloseTo(lat, within(1e-9));
    }
  }

  @Test
  void theWholeWorldIsOneTileAtZeroAndFourTimesAsManyEachZoom() {
    BoundingBox world = new BoundingBox(-180, -90, 180, 90);
    assertThat(TileMath.rangeOf(world, 0)).isEqualTo(new TileRange(0, 0, 0, 0, 0));
    assertThat(TileMath.rangeOf(world, 1).count()).isEqualTo(4);
    assertThat(TileMath.rangeOf(world, 18).count()).isEqualTo(1L << 36);
  }

  @Test
  void aSmallBoxAroundHelsinkiCoversTheTilesAroundIt() {
    // Central Helsinki, about 10 km across.
    BoundingBox box = new BoundingBox(24.85, 60.13, 25.05, 60.22);
    TileRange z10 = TileMath.rangeOf(box, 10);
    assertThat(z10).isEqualTo(new TileRange(10, 582, 583, 296, 296));
    assertThat(z10.count()).isEqualTo(2);
    TileRange z12 = TileMath.rangeOf(box, 12);
    // x: floor(4096 * 204.85 / 360) = 2330 .. floor(4096 * 205.05 / 360) = 2333.
    assertThat(z12.xMin()).isEqualTo(2330);
    assertThat(z12.xMax()).isEqualTo(2333);
    assertThat(z12.yMin()).isEqualTo(TileMath.tileOf(24.85, 60.22, 12).y());
    assertThat(z12.yMax()).isEqualTo(TileMath.tileOf(24.85, 60.13, 12).y());
  }

  @Test
  void anEdgeOnATileEdgeDoesNotPullInTheTileBeyond() {
    int z = 2;
    // Exactly the tile 2/2/1: east and south edges are the edges of tiles 3 and 2.
    BoundingBox box =
        new BoundingBox(
            TileMath.lon(2, z), TileMath.lat(2, z), TileMath.lon(3, z), TileMath.lat(1, z));
    assertThat(TileMath.rangeOf(box, z)).isEqualTo(new TileRange(2, 2, 2, 1, 1));
  }

  @Test
  void aBoxBeyondWebMercatorCoversNothing() {
    TileRange range = TileMath.rangeOf(new BoundingBox(-10, 86, 10, 89), 4);
    assertThat(range.count()).isZero();
    assertThat(range.iterator().hasNext()).isFalse();
  }

  @Test
  void aRangeIteratesEachTileOnceRowByRow() {
    List<Tile> tiles = new ArrayList<>();
    new TileRange(3, 4, 5, 6, 7).forEach(tiles::add);
    assertThat(tiles)
        .containsExactly(
            new Tile(3, 4, 6), new Tile(3, 5, 6), new Tile(3, 4, 7), new Tile(3, 5, 7));
  }

  @Test
  void keysFollowTheLayerAndTile() {
    assertThat(TileKeys.of("simulation_sites", new Tile(10, 582, 296)))
        .isEqualTo("tiles/simulation_sites/10/582/296.png");
    assertThat(Tile.isValid(3, 7, 7)).isTrue();
    assertThat(Tile.isValid(3, 8, 0)).isFalse();
    assertThat(Tile.isValid(19, 0, 0)).isFalse();
  }
}
