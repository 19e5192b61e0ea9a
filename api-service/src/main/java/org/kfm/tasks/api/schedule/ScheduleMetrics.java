package org.kfm.tasks.api.schedule;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.kfm.tasks.api.store.ScheduleRow;

/**
 * Per-schedule series. The schedule tag is bounded: schedules are few and named by admins, and a
 * deleted schedule's gauge is removed.
 */
@ApplicationScoped
public class ScheduleMetrics {
  static final String CATCH_UP = "catch_up";
  static final String SKIPPED_RUNNING = "skipped_running";

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> nextFire = new ConcurrentHashMap<>();
  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

  public ScheduleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void fired(String schedule) {
    registry.counter("kfm.schedule.firings", "schedule", schedule).increment();
  }

  /** Slots that got no job of their own. */
  void missed(String schedule, String reason, long slots) {
    if (slots > 0) {
      registry
          .counter("kfm.schedule.misses", "schedule", schedule, "reason", reason)
          .increment(slots);
    }
  }

  /** The next slot of each enabled schedule, as epoch seconds; paused and deleted ones vanish. */
  void nextFireTimes(Collection<ScheduleRow> schedules) {
    Set<String> enabled =
        schedules.stream()
            .filter(ScheduleRow::enabled)
            .map(ScheduleRow::name)
            .collect(Collectors.toSet());
    for (ScheduleRow s : schedules) {
      if (s.enabled()) {
        nextFire(s.name()).set(s.nextFireAt().getEpochSecond());
      }
    }
    for (String gone : Set.copyOf(gauges.keySet())) {
      if (!enabled.contains(gone)) {
        registry.remove(gauges.remove(gone));
        nextFire.remove(gone);
      }
    }
  }

  void nextFire(String schedule, Instant at) {
    nextFire(schedule).set(at.getEpochSecond());
  }

  private AtomicLong nextFire(String schedule) {
    return nextFire.computeIfAbsent(
        schedule,
        name -> {
          AtomicLong value = new AtomicLong();
          gauges.put(
              name,
              Gauge.builder("kfm.schedule.next_fire_time_seconds", value, AtomicLong::doubleValue)
                  .tag("schedule", name)
                  .description("The schedule's next slot, in seconds since the epoch")
                  .register(registry));
          return value;
        });
  }
}
