package org.kfm.tasks.worker.tasks.ingest;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.outputs.Outputs;

/**
 * Forecast rows in the worker's schema: reads a grid cell's marker, and writes a new forecast's
 * periods with the marker in the job's output transaction.
 */
@Singleton
class ForecastStore {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final Outputs outputs;

  ForecastStore(Outputs outputs) {
    this.outputs = outputs;
  }

  /** What was written: nothing when a newer or equal forecast was stored meanwhile. */
  record Stored(boolean written, int periods, int superseded) {}

  Optional<ForecastMarker> marker(GridCell cell) {
    try {
      return Optional.ofNullable(
          VertxContextSupport.subscribeAndAwait(
              () ->
                  Panache.withSession(
                          () -> Panache.getSession().chain(s -> s.find(ForecastMarker.class, cell)))
                      .ifNoItem()
                      .after(READ_TIMEOUT)
                      .fail()));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("reading the forecast marker of " + cell + " failed", e);
    }
  }

  /**
   * Upserts the periods (keyed by cell and start) and the marker. The new forecast supersedes every
   * stored period of the cell that has not ended by its first period's start and that it does not
   * repeat (an upstream that shifts "This Afternoon" from 14:00 to 15:00 leaves no stale 14:00
   * row); periods that ended before it stay, as history. The marker row is locked first, so two
   * pulls of one cell store one after the other, and an older forecast never replaces a newer one.
   */
  Stored store(TaskContext context, GridCell cell, Forecast forecast, ForecastClient.Reply reply) {
    Map<String, Object> lineage = new LinkedHashMap<>(context.lineage());
    Map<String, Object> upstream = new LinkedHashMap<>();
    upstream.put("url", reply.url().toString());
    upstream.put("updated", forecast.updated().toString());
    if (reply.etag() != null) {
      upstream.put("etag", reply.etag());
    }
    lineage.put("upstream", upstream);
    String lineageJson = Wire.toJson(lineage);
    List<ForecastPeriod> periods = new ArrayList<>();
    for (Forecast.Period p : forecast.periods()) {
      periods.add(row(context, cell, forecast, p, lineageJson));
    }
    ForecastMarker marker = new ForecastMarker();
    marker.id = cell;
    marker.upstreamUpdated = forecast.updated();
    marker.etag = reply.etag();
    marker.url = reply.url().toString();
    marker.geometry = forecast.geometry() == null ? null : Wire.toJson(forecast.geometry());
    marker.periods = periods.size();
    marker.storedAt = Instant.now();
    marker.jobId = context.jobId();
    marker.lineage = lineageJson;
    return outputs.store(
        context,
        session ->
            session
                .find(ForecastMarker.class, cell, LockMode.PESSIMISTIC_WRITE)
                .chain(
                    existing -> {
                      if (existing != null
                          && !forecast.updated().isAfter(existing.upstreamUpdated)) {
                        return Uni.createFrom().item(new Stored(false, 0, 0));
                      }
                      return write(session, cell, forecast, periods, marker);
                    }));
  }

  private static Uni<Stored> write(
      Mutiny.Session session,
      GridCell cell,
      Forecast forecast,
      List<ForecastPeriod> periods,
      ForecastMarker marker) {
    List<Instant> starts = forecast.periods().stream().map(Forecast.Period::start).toList();
    Uni<Integer> superseded =
        session
            .createMutationQuery(
                "delete from ForecastPeriod p where p.id.office = :office"
                    + " and p.id.gridX = :x and p.id.gridY = :y"
                    + " and p.endTime > :from and p.id.startTime not in (:starts)")
            .setParameter("office", cell.office)
            .setParameter("x", cell.gridX)
            .setParameter("y", cell.gridY)
            .setParameter("from", forecast.from())
            .setParameter("starts", starts)
            .executeUpdate();
    Uni<Void> upserts = Uni.createFrom().voidItem();
    for (ForecastPeriod period : periods) {
      upserts = upserts.chain(() -> session.merge(period)).replaceWithVoid();
    }
    Uni<Void> all = upserts;
    return superseded.chain(
        removed ->
            all.chain(() -> session.merge(marker))
                .replaceWith(new Stored(true, periods.size(), removed)));
  }

  private static ForecastPeriod row(
      TaskContext context, GridCell cell, Forecast forecast, Forecast.Period p, String lineage) {
    ForecastPeriod row = new ForecastPeriod();
    row.id = new PeriodKey(cell, p.start());
    row.endTime = p.end();
    row.periodNumber = p.number();
    row.name = p.name();
    row.daytime = p.daytime();
    row.temperature = p.temperature();
    row.temperatureUnit = p.temperatureUnit();
    row.windSpeed = p.windSpeed();
    row.windDirection = p.windDirection();
    row.shortForecast = p.shortForecast();
    row.detailedForecast = p.detailedForecast();
    row.precipitationProbability = p.precipitationProbability();
    row.gridLon = forecast.lon();
    row.gridLat = forecast.lat();
    row.upstreamUpdated = forecast.updated();
    row.jobId = context.jobId();
    row.lineage = lineage;
    return row;
  }
}
