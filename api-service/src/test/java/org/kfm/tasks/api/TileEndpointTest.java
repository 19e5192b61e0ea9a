package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileKeys;

/**
 * Warmed tiles served from a real filesystem store (target/test-artifacts): 200 with a stable ETag,
 * 304, 404 for a tile not warmed, 400 for an address that is no tile, 401 without a token; and the
 * warm job refused at submit when it would cover too many tiles.
 */
@QuarkusTest
class TileEndpointTest {
  private static final Tile HELSINKI = new Tile(10, 582, 296);
  private static final String URL = "/api/v1/tiles/simulation_sites/10/582/296.png";
  // Not a real picture: the api serves bytes, it does not draw them.
  private static final byte[] PNG = new byte[3000];

  static {
    new Random(11).nextBytes(PNG);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(signature, 0, PNG, 0, signature.length);
  }

  @Inject ArtifactStore store;

  @BeforeEach
  void aWarmedTile() throws IOException {
    Path temp = Files.createTempFile("tile-", ".png");
    try {
      Files.write(temp, PNG);
      store.put(TileKeys.of("simulation_sites", HELSINKI), temp, "image/png");
    } finally {
      Files.delete(temp);
    }
  }

  private static String etag() throws Exception {
    return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PNG)) + "\"";
  }

  @Test
  void anyRoleGetsAWarmedTileWithItsTagAndCachingHeaders() throws Exception {
    Response response = given().header("Authorization", Tokens.bearer("viewer", "viewer")).get(URL);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("image/png");
    assertThat(response.asByteArray()).isEqualTo(PNG);
    assertThat(response.header("ETag")).isEqualTo(etag());
    assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=3600");
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(PNG.length));
  }

  @Test
  void aClientHoldingTheTileGets304() throws Exception {
    given()
        .header("Authorization", Tokens.analyst("tina"))
        .header("If-None-Match", etag())
        .get(URL)
        .then()
        .statusCode(304)
        .header("ETag", etag())
        .header("Cache-Control", "public, max-age=3600");
    given()
        .header("Authorization", Tokens.analyst("tina"))
        .header("If-None-Match", "\"older\"")
        .get(URL)
        .then()
        .statusCode(200);
  }

  @Test
  void aTileNotWarmedIs404ProblemJson() {
    given()
        .header("Authorization", Tokens.analyst("tina"))
        .get("/api/v1/tiles/simulation_sites/18/262143/0.png")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("errorId", notNullValue())
        .body("detail", containsString("geo.tile_cache_warm"));
  }

  @Test
  void addressesThatAreNoTileAre400NamingThePart() {
    var tina = Tokens.analyst("tina");
    given()
        .header("Authorization", tina)
        .get("/api/v1/tiles/simulation_sites/19/0/0.png")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("/z"));
    given()
        .header("Authorization", tina)
        .get("/api/v1/tiles/simulation_sites/2/4/0.png")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/x"));
    given()
        .header("Authorization", tina)
        .get("/api/v1/tiles/simulation_sites/2/0/4.png")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/y"));
    given()
        .header("Authorization", tina)
        .get("/api/v1/tiles/simulation_sites/2/0/1.jpg")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/y"));
    given()
        .header("Authorization", tina)
        .get("/api/v1/tiles/simulation_sites/-1/0/0.png")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/z"));
    given()
        .header("Authorization", tina)
        .get("/api/v1/tiles/satellite/10/582/296.png")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("/layer"))
        .body("errors.message", hasItem(containsString("simulation_sites")));
  }

  @Test
  void withoutATokenTilesAre401() {
    given().get(URL).then().statusCode(401);
  }

  @Test
  void aWarmOverTooManyTilesIsRefusedAtSubmitWithTheCount() {
    given()
        .header("Authorization", Tokens.analyst("tina"))
        .contentType(ContentType.JSON)
        .body(
            """
            {"task":"geo.tile_cache_warm","params":{"layer":"simulation_sites",
             "bbox":{"west":-180,"south":-90,"east":180,"north":90},"min_zoom":0,"max_zoom":8}}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItems("/params/bbox", "/params/max_zoom"))
        .body("detail", containsString("87,381 tiles"))
        .body("detail", containsString("20,000"));
  }

  @Test
  void aWarmWithEdgesOutOfOrderOrAnUnknownLayerIsRefusedAtSubmit() {
    given()
        .header("Authorization", Tokens.analyst("tina"))
        .contentType(ContentType.JSON)
        .body(
            """
            {"task":"geo.tile_cache_warm","params":{"layer":"satellite",
             "bbox":{"west":25,"south":60,"east":24,"north":61},"min_zoom":10,"max_zoom":12}}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("/params/layer", "/params/bbox/east"));
  }

  @Test
  void aWarmOfASmallBoxIsAccepted() {
    given()
        .header("Authorization", Tokens.analyst("tina"))
        .contentType(ContentType.JSON)
        .body(
            """
            {"task":"geo.tile_cache_warm","params":{"layer":"simulation_sites",
             "bbox":{"west":24.85,"south":60.13,"east":25.05,"north":60.22},"min_zoom":10,"max_zoom":12}}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .body("task", equalTo("geo.tile_cache_warm"));
  }
}
