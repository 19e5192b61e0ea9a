package org.kfm.tasks.api.well;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.ConcurrencyClass;

/**
 * Reads job counts on an interval, never per scrape: one grouped query over the unfinished rows
 * (the partial index jobs_active_status keeps it to those) and one over the jobs finished in the
 * failure window (the partial index jobs_finished). Gauges and the watchdog read the last result,
 * so a scrape or a health probe costs no query.
 */
@ApplicationScoped
public class JobWatch {
  private static final Logger LOG = Logger.getLogger(JobWatch.class);
  static final List<String> ACTIVE = List.of("scheduled", "queued", "running");

  private static final String ACTIVE_SQL =
      "SELECT queue, status, count(*) AS jobs,"
          + " min(GREATEST(run_at, created_at)) FILTER (WHERE status = 'queued') AS oldest_due,"
          + " count(*) FILTER (WHERE status = 'running'"
          + "   AND COALESCE(last_heartbeat_at, started_at, updated_at)"
          + "       < now() - make_interval(secs => $1)) AS late"
          + " FROM jobs WHERE status IN ('scheduled', 'queued', 'running')"
          + " GROUP BY queue, status";

  private static final String FINISHED_SQL =
      "SELECT task, count(*) AS finished, count(*) FILTER (WHERE status = 'failed') AS failed"
          + " FROM jobs WHERE status IN ('succeeded', 'failed')"
          + " AND finished_at > now() - make_interval(secs => $1) GROUP BY task";

  private final Pool pool;
  private final WellConfig config;
  private volatile JobCounts last;
  private Refresher timer;

  public JobWatch(Pool pool, WellConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.config = config;
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      String queue = c.wireName();
      for (String status : ACTIVE) {
        gauge(registry, "kfm.jobs", queue, j -> j.count(queue, status))
            .description("unfinished jobs by class and status, as of the last read")
            .tag("status", status)
            .register(registry);
      }
      gauge(registry, "kfm.jobs.queued.oldest.age", queue, j -> oldestAge(j, queue))
          .description("how long the oldest queued job of the class has waited since it was due")
          .baseUnit("seconds")
          .register(registry);
      gauge(
              registry,
              "kfm.jobs.heartbeat.late",
              queue,
              j -> j.lateHeartbeats().getOrDefault(queue, 0L))
          .description(
              "running jobs whose last heartbeat is older than kfm.well.heartbeat-late-after")
          .register(registry);
    }
  }

  private Gauge.Builder<JobWatch> gauge(
      MeterRegistry registry, String name, String queue, ToDoubleFunction<JobCounts> value) {
    return Gauge.builder(name, this, w -> w.last == null ? 0 : value.applyAsDouble(w.last))
        .tag("class", queue);
  }

  private static double oldestAge(JobCounts jobs, String queue) {
    Instant due = jobs.oldestQueuedDue().get(queue);
    return due == null ? 0 : Math.max(0, Duration.between(due, jobs.readAt()).toMillis() / 1000.0);
  }

  void start(@Observes StartupEvent event) {
    timer = Refresher.start("job-watch", config.refresh(), this::refresh);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.stop();
    }
  }

  JobCounts last() {
    return last;
  }

  /** Reads the counts now; runs on the watch's own thread, so it may wait for the database. */
  void refresh() {
    Instant at = Instant.now();
    try {
      Duration timeout = config.refresh().plusSeconds(10);
      Map<String, Map<String, Long>> counts = new HashMap<>();
      Map<String, Instant> oldest = new HashMap<>();
      Map<String, Long> late = new HashMap<>();
      for (Row row :
          pool.preparedQuery(ACTIVE_SQL)
              .execute(Tuple.of(config.heartbeatLateAfter().toMillis() / 1000.0))
              .await()
              .atMost(timeout)) {
        String queue = row.getString("queue");
        counts
            .computeIfAbsent(queue, q -> new HashMap<>())
            .put(row.getString("status"), row.getLong("jobs"));
        OffsetDateTime due = row.getOffsetDateTime("oldest_due");
        if (due != null) {
          oldest.put(queue, due.toInstant());
        }
        late.merge(queue, row.getLong("late"), Long::sum);
      }
      Map<String, JobCounts.TaskOutcomes> finished = new HashMap<>();
      for (Row row :
          pool.preparedQuery(FINISHED_SQL)
              .execute(Tuple.of(config.failureWindow().toMillis() / 1000.0))
              .await()
              .atMost(timeout)) {
        finished.put(
            row.getString("task"),
            new JobCounts.TaskOutcomes(row.getLong("finished"), row.getLong("failed")));
      }
      last = new JobCounts(at, counts, oldest, late, finished, null);
    } catch (RuntimeException e) {
      LOG.warnf("job counts not read: %s", e.toString());
      last = JobCounts.failed(at, e.toString());
    }
  }
}
