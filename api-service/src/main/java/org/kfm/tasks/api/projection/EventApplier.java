package org.kfm.tasks.api.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.kfm.tasks.api.store.JobArtifacts;
import org.kfm.tasks.api.store.JobState;
import org.kfm.tasks.api.store.JobStates;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.TaskCatalog;

/**
 * Applies worker status events to their jobs. A batch of events is one transaction: its jobs' rows
 * are locked, the events applied in delivery order in memory by {@link Projection}, and the
 * resulting rows, history and artifacts written with one statement each.
 */
// Created at start, so that its meters are scraped at zero before the first request.
@Startup
@ApplicationScoped
public class EventApplier {
  private final Pool pool;
  private final JobStates store;
  private final JobArtifacts artifacts;
  private final MeterRegistry registry;
  private final Projection projection;
  private final Timer lag;
  private final Counter refusedArtifacts;
  // One lookup per kind of event and outcome, not per event: registry.counter sorts its tags and
  // runs every meter filter each time.
  private final Map<String, Counter> counted = new ConcurrentHashMap<>();

  public EventApplier(
      Pool pool,
      JobStates store,
      JobArtifacts artifacts,
      TaskCatalog catalog,
      MeterRegistry registry) {
    this.pool = pool;
    this.store = store;
    this.artifacts = artifacts;
    this.registry = registry;
    this.refusedArtifacts =
        Counter.builder("kfm.projection.artifacts.refused")
            .description("artifacts of applied successes not recorded: bad name, key or fields")
            .register(registry);
    this.projection =
        new Projection(catalog, () -> ThreadLocalRandom.current().nextDouble(), this::count);
    this.lag =
        Timer.builder("kfm.projection.lag")
            .description("time from a worker emitting a status event to its projection")
            .publishPercentileHistogram()
            .register(registry);
  }

  public Uni<Void> apply(List<JobEvent> events) {
    Set<UUID> ids = new LinkedHashSet<>();
    events.forEach(e -> ids.add(e.jobId()));
    return pool.withTransaction(
            conn -> store.lock(conn, ids).flatMap(states -> apply(conn, states, events)))
        .invoke(
            () -> {
              Instant now = Instant.now();
              events.forEach(e -> lag.record(Duration.between(e.at(), now)));
            });
  }

  private Uni<Void> apply(SqlConnection conn, Map<UUID, JobState> states, List<JobEvent> events) {
    Projected projected = projection.apply(states, events);
    refusedArtifacts.increment(projected.refused());
    return store
        .save(conn, states.values(), projected.history())
        .chain(() -> artifacts.upsert(conn, projected.artifacts()));
  }

  private void count(JobEvent event, String outcome) {
    String type = event.type().wireName();
    counted
        .computeIfAbsent(
            type + '/' + outcome,
            key -> registry.counter("kfm.projection.events", "type", type, "outcome", outcome))
        .increment();
  }
}
