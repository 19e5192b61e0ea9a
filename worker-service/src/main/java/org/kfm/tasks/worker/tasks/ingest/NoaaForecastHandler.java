package org.kfm.tasks.worker.tasks.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;

/**
 * {@code ingest.noaa_forecast}: pulls one grid cell's forecast and upserts its periods, unless the
 * upstream has nothing newer than the cell's marker (304 to its ETag, or the same update time), in
 * which case nothing is written and the result says {@code "changed": false}.
 */
@ApplicationScoped
public class NoaaForecastHandler implements TaskHandler {
  private static final Logger LOG = Logger.getLogger(NoaaForecastHandler.class);

  /** Left for storing the forecast after the fetch, within the attempt's timeout. */
  private static final Duration STORE_MARGIN = Duration.ofSeconds(5);

  private final NoaaConfig config;
  private final ForecastClient client;
  private final ForecastStore store;
  private final ForecastMetrics metrics;

  public NoaaForecastHandler(
      NoaaConfig config, ForecastClient client, ForecastStore store, ForecastMetrics metrics) {
    this.config = config;
    this.client = client;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public String task() {
    return "ingest.noaa_forecast";
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    GridCell cell = cellOf(context.params());
    context.step("marker");
    ForecastMarker marker = store.marker(cell).orElse(null);
    context.step("fetch");
    ForecastClient.Reply reply =
        client.fetch(
            cell,
            marker == null ? null : marker.etag,
            authTokenOf(context.params()),
            fetchTimeout(context));
    if (reply.notModified()) {
      return unchanged(cell, reply, marker, "not_modified");
    }
    context.step("validate");
    Forecast forecast = ForecastDocument.read(reply.body());
    if (marker != null && !forecast.updated().isAfter(marker.upstreamUpdated)) {
      return unchanged(
          cell,
          reply,
          marker,
          forecast.updated().equals(marker.upstreamUpdated) ? "same_updated" : "older_than_stored");
    }
    context.step("store");
    ForecastStore.Stored stored = store.store(context, cell, forecast, reply);
    if (!stored.written()) {
      // Another pull of this cell stored this forecast, or a newer one, after the marker was read.
      return unchanged(cell, reply, store.marker(cell).orElse(marker), "stored_meanwhile");
    }
    metrics.pull("changed");
    metrics.stored(stored.periods());
    LOG.infof(
        "job=%s stored %d forecast periods of %s (updated %s, %d superseded)",
        context.jobId(), stored.periods(), cell, forecast.updated(), stored.superseded());
    ObjectNode result = base(cell, reply, true);
    result.put("updated", forecast.updated().toString());
    putNullable(result, "etag", reply.etag());
    result.put("periods", stored.periods());
    result.put("superseded", stored.superseded());
    result.put("from", forecast.from().toString());
    result.put("to", forecast.to().toString());
    if (forecast.lon() != null) {
      result.put("lon", forecast.lon());
      result.put("lat", forecast.lat());
    }
    return result;
  }

  private JsonNode unchanged(
      GridCell cell, ForecastClient.Reply reply, ForecastMarker marker, String reason) {
    metrics.pull(reason);
    LOG.infof("forecast of %s unchanged (%s); nothing written", cell, reason);
    ObjectNode result = base(cell, reply, false);
    result.put("reason", reason);
    if (marker != null) {
      result.put("updated", marker.upstreamUpdated.toString());
      putNullable(result, "etag", marker.etag);
      result.put("periods", marker.periods);
    }
    return result;
  }

  private static ObjectNode base(GridCell cell, ForecastClient.Reply reply, boolean changed) {
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("changed", changed);
    result.put("office", cell.office);
    result.put("gridX", cell.gridX);
    result.put("gridY", cell.gridY);
    result.put("url", reply.url().toString());
    return result;
  }

  private static void putNullable(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** The configured read timeout, shortened so the attempt can still store before its deadline. */
  private Duration fetchTimeout(TaskContext context) {
    Duration left = Duration.between(Instant.now(), context.deadline()).minus(STORE_MARGIN);
    Duration timeout = left.compareTo(config.readTimeout()) < 0 ? left : config.readTimeout();
    if (timeout.toMillis() < 1) {
      throw TaskFailure.transientFailure(
          "UPSTREAM_TIMEOUT", "no time left in this attempt to ask the upstream");
    }
    return timeout;
  }

  private static String authTokenOf(JsonNode params) {
    JsonNode token = params.path("auth_token");
    return token.isTextual() && !token.asText().isBlank() ? token.asText() : null;
  }

  /** Submit validated the params; a command from elsewhere still cannot put anything in the URL. */
  static GridCell cellOf(JsonNode params) {
    String office = params.path("office").asText("");
    JsonNode x = params.path("grid_x");
    JsonNode y = params.path("grid_y");
    if (!office.matches("[A-Z]{3}") || !inGrid(x) || !inGrid(y)) {
      throw TaskFailure.permanent(
          "INVALID_PARAMS", "office must be three capital letters, grid_x and grid_y 0..500");
    }
    return new GridCell(office, x.asInt(), y.asInt());
  }

  private static boolean inGrid(JsonNode value) {
    return value.canConvertToInt()
        && value.isIntegralNumber()
        && value.asInt() >= 0
        && value.asInt() <= 500;
  }
}
