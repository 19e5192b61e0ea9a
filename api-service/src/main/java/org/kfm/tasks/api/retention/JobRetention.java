package org.kfm.tasks.api.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.RetentionStore;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Removes finished jobs past their retention, per final status, in batches of {@code
 * kfm.retention.batch-size}, every {@code kfm.retention.interval}. Jobs still scheduled, queued or
 * running are never candidates, whatever their age. Each replica runs its own loop; their batches
 * never overlap (see {@link RetentionStore}). Counted in {@code
 * kfm_retention_jobs_removed_total{status}}.
 */
@ApplicationScoped
public class JobRetention {
  private static final Logger LOG = Logger.getLogger(JobRetention.class);
  private static final List<JobStatus> FINISHED =
      List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.EXPIRED);

  private final RetentionStore store;
  private final RetentionConfig config;
  private final Vertx vertx;
  private final Map<JobStatus, Counter> removed = new EnumMap<>(JobStatus.class);
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  public JobRetention(
      RetentionStore store, RetentionConfig config, Vertx vertx, MeterRegistry registry) {
    this.store = store;
    this.config = config;
    this.vertx = vertx;
    for (JobStatus status : FINISHED) {
      removed.put(
          status, registry.counter("kfm.retention.jobs.removed", "status", status.wireName()));
    }
  }

  void start(@Observes StartupEvent event) {
    // A zero or negative age would delete jobs the moment they finish: refuse to start instead.
    for (JobStatus status : FINISHED) {
      if (age(status).isNegative() || age(status).isZero()) {
        throw new IllegalStateException(
            "kfm.retention." + status.wireName() + " must be positive, got " + age(status));
      }
    }
    if (config.batchSize() < 1 || config.interval().isNegative() || config.interval().isZero()) {
      throw new IllegalStateException(
          "kfm.retention.batch-size must be at least 1 and kfm.retention.interval positive");
    }
    if (!config.enabled()) {
      LOG.info("job retention is off (kfm.retention.enabled=false): finished jobs are kept");
      return;
    }
    running.set(true);
    schedule();
  }

  void stop(@Observes ShutdownEvent event) {
    running.set(false);
    stopping.set(true);
  }

  private void schedule() {
    if (!running.get()) {
      return;
    }
    vertx.setTimer(
        config.interval().toMillis(),
        id ->
            pass()
                .subscribe()
                .with(
                    done -> schedule(),
                    failure -> {
                      if (running.get()) {
                        LOG.warnf("job retention pass failed: %s", failure.toString());
                      }
                      schedule();
                    }));
  }

  /** One pass: every finished status in turn, batch after batch until none is due. */
  public Uni<Map<JobStatus, Long>> pass() {
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (JobStatus status : FINISHED) {
      chain =
          chain.chain(
              () -> {
                Instant before = Instant.now().minus(age(status));
                return sweep(status, before, 0)
                    .invoke(
                        n -> {
                          counts.put(status, n);
                          if (n > 0) {
                            LOG.infof(
                                "job retention removed %d %s jobs finished before %s, with their"
                                    + " events and artifact records",
                                n, status.wireName(), before);
                          }
                        })
                    .replaceWithVoid();
              });
    }
    return chain.replaceWith(() -> counts);
  }

  private Uni<Long> sweep(JobStatus status, Instant before, long sofar) {
    return store
        .deleteFinished(status, before, config.batchSize())
        .flatMap(
            n -> {
              removed.get(status).increment(n);
              long total = sofar + n;
              if (n < config.batchSize() || stopping.get()) {
                return Uni.createFrom().item(total);
              }
              return sweep(status, before, total);
            });
  }

  private Duration age(JobStatus status) {
    return switch (status) {
      case SUCCEEDED -> config.succeeded();
      case FAILED -> config.failed();
      case CANCELED -> config.canceled();
      case EXPIRED -> config.expired();
      default -> throw new IllegalArgumentException(status + " is not a finished status");
    };
  }
}
