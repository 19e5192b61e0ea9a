package org.kfm.tasks.contracts.geo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.kfm.tasks.contracts.FieldError;

/**
 * The params of {@code geo.tile_cache_warm} read as a request: a box, a zoom range, a layer. The
 * input schema checks each field alone; this adds what a schema cannot say (west of east, south of
 * north, min_zoom not above max_zoom, a known layer, the tile count under the limit), so the api
 * refuses at submit and the worker checks again with the same code.
 */
public record TileWarmRequest(
    BoundingBox box, int minZoom, int maxZoom, String layer, boolean overwrite) {

  /** The field paths errors name, as the api reports params. */
  public static final String BBOX = "/params/bbox";

  public static final String MIN_ZOOM = "/params/min_zoom";
  public static final String MAX_ZOOM = "/params/max_zoom";
  public static final String LAYER = "/params/layer";

  /** Reads params that passed the task's input schema. */
  public static TileWarmRequest of(JsonNode params) {
    JsonNode bbox = params.path("bbox");
    return new TileWarmRequest(
        new BoundingBox(
            bbox.path("west").asDouble(),
            bbox.path("south").asDouble(),
            bbox.path("east").asDouble(),
            bbox.path("north").asDouble()),
        params.path("min_zoom").asInt(),
        params.path("max_zoom").asInt(),
        params.path("layer").asText(),
        params.path("overwrite").asBoolean(false));
  }

  /** The tiles of each zoom, from {@code min_zoom} to {@code max_zoom}. */
  public List<TileRange> ranges() {
    List<TileRange> ranges = new ArrayList<>();
    for (int z = minZoom; z <= maxZoom; z++) {
      ranges.add(TileMath.rangeOf(box, z));
    }
    return ranges;
  }

  /** How many tiles the request covers over all its zooms. */
  public long tileCount() {
    return ranges().stream().mapToLong(TileRange::count).sum();
  }

  /**
   * What is wrong with the request beyond its schema, each error naming its field; empty when it
   * may run.
   *
   * @param layers the layers this deployment knows
   * @param maxTiles the most tiles one job may cover
   */
  public List<FieldError> problems(Set<String> layers, long maxTiles) {
    List<FieldError> errors = new ArrayList<>();
    if (!layers.contains(layer)) {
      errors.add(
          new FieldError(
              LAYER, "unknown layer '" + layer + "'; this deployment has " + sorted(layers)));
    }
    if (box.west() >= box.east()) {
      errors.add(
          new FieldError(
              BBOX + "/east",
              "east must be greater than west; a box across the antimeridian is two requests"));
    }
    if (box.south() >= box.north()) {
      errors.add(new FieldError(BBOX + "/north", "north must be greater than south"));
    }
    if (minZoom > maxZoom) {
      errors.add(new FieldError(MIN_ZOOM, "min_zoom must not be greater than max_zoom"));
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    long count = tileCount();
    if (count == 0) {
      errors.add(
          new FieldError(
              BBOX,
              "the box lies beyond Web Mercator's latitude range (±"
                  + String.format(java.util.Locale.ROOT, "%.4f", TileMath.MAX_LATITUDE)
                  + "°) and covers no tile"));
    } else if (count > maxTiles) {
      String message =
          String.format(
              java.util.Locale.ROOT,
              "the box at zooms %d..%d covers %,d tiles; the limit is %,d per job: narrow the box"
                  + " or lower max_zoom",
              minZoom,
              maxZoom,
              count,
              maxTiles);
      errors.add(new FieldError(BBOX, message));
      errors.add(new FieldError(MAX_ZOOM, message));
    }
    return errors;
  }

  private static List<String> sorted(Set<String> layers) {
    return layers.stream().sorted().toList();
  }
}
