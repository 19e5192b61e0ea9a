package org.kfm.tasks.api.tile;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.artifact.EntityTags;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileKeys;

/**
 * Answers a tile request from the artifact store: checks the address (a known layer, a tile inside
 * its zoom's grid), reads the tile (small: it is read whole), tags it with its SHA-256 so the same
 * bytes always carry the same ETag, and answers 304 to a client that holds them already. Blocking:
 * it runs on a worker thread.
 */
@ApplicationScoped
public class TileServing {
  private static final Logger LOG = Logger.getLogger(TileServing.class);
  private static final Pattern NUMBER = Pattern.compile("^\\d{1,6}$");
  private static final Pattern Y_PNG = Pattern.compile("^(\\d{1,6})\\.png$");

  private final ArtifactStore store;
  private final TilesConfig config;
  private final MeterRegistry registry;
  private final String cacheControl;

  public TileServing(ArtifactStore store, TilesConfig config, MeterRegistry registry) {
    this.store = store;
    this.config = config;
    this.registry = registry;
    this.cacheControl = "public, max-age=" + config.cacheMaxAge().toSeconds();
  }

  public Response serve(String layer, String z, String x, String yPng, String ifNoneMatch)
      throws IOException {
    Tile tile = tileOf(layer, z, x, yPng);
    String key = TileKeys.of(layer, tile);
    byte[] png = read(key);
    if (png == null) {
      count(layer, "not-found");
      throw ApiProblem.notFound(
          "tile " + layer + "/" + tile + " has not been warmed: run geo.tile_cache_warm over it");
    }
    String tag = EntityTags.of(sha256(png));
    if (EntityTags.noneMatchHits(ifNoneMatch, tag)) {
      count(layer, "not-modified");
      return Response.notModified()
          .header("ETag", tag)
          .header("Cache-Control", cacheControl)
          .build();
    }
    count(layer, "served");
    registry.counter("kfm.tiles.served.bytes", "layer", layer).increment(png.length);
    return Response.ok(png, "image/png")
        .header("Content-Length", png.length)
        .header("ETag", tag)
        .header("Cache-Control", cacheControl)
        .build();
  }

  /** The tile the path names, or 400 naming each part that is wrong. */
  private Tile tileOf(String layer, String z, String x, String yPng) {
    List<FieldError> errors = new ArrayList<>();
    if (!config.layers().containsKey(layer)) {
      errors.add(
          new FieldError(
              "/layer",
              "unknown layer; this deployment has "
                  + config.layers().keySet().stream().sorted().toList()));
    }
    Integer zoom = NUMBER.matcher(z).matches() ? Integer.valueOf(z) : null;
    if (zoom == null || zoom > Tile.MAX_ZOOM) {
      errors.add(new FieldError("/z", "z must be a zoom from 0 to " + Tile.MAX_ZOOM));
    }
    Integer column = NUMBER.matcher(x).matches() ? Integer.valueOf(x) : null;
    Matcher yMatch = Y_PNG.matcher(yPng);
    Integer row = yMatch.matches() ? Integer.valueOf(yMatch.group(1)) : null;
    if (row == null) {
      errors.add(new FieldError("/y", "the last part must be the row and .png, e.g. 296.png"));
    }
    if (column == null) {
      errors.add(new FieldError("/x", "x must be a tile column"));
    }
    if (zoom != null && zoom <= Tile.MAX_ZOOM) {
      int last = (1 << zoom) - 1;
      if (column != null && column > last) {
        errors.add(new FieldError("/x", "x must lie in 0.." + last + " at zoom " + zoom));
      }
      if (row != null && row > last) {
        errors.add(new FieldError("/y", "y must lie in 0.." + last + " at zoom " + zoom));
      }
    }
    if (!errors.isEmpty()) {
      count(config.layers().containsKey(layer) ? layer : "(unknown)", "invalid");
      throw ApiProblem.badRequest("not a tile: " + errors.get(0).message(), errors);
    }
    return new Tile(zoom, column, row);
  }

  /** The stored tile's bytes, or null when nothing is stored under the key. */
  private byte[] read(String key) throws IOException {
    OptionalLong size = store.size(key);
    if (size.isEmpty()) {
      return null;
    }
    if (size.getAsLong() > config.maxTileBytes()) {
      throw new IllegalStateException(
          "tile " + key + " holds " + size.getAsLong() + " bytes, over kfm.tiles.max-tile-bytes");
    }
    try (InputStream in = store.open(key, 0, size.getAsLong())) {
      return in.readAllBytes();
    } catch (NoSuchFileException e) {
      // Removed between the size and the read (a cleanup): not warmed any more.
      return null;
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void count(String layer, String outcome) {
    registry.counter("kfm.tiles.requests", "layer", layer, "outcome", outcome).increment();
    LOG.debugf("tile request layer=%s %s", layer, outcome);
  }
}
