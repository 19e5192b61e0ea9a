package org.kfm.tasks.worker.tasks.maintenance;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * What maintenance removed, by task and kind ({@code artifacts}, {@code tiles}, {@code temp-files},
 * {@code records}): {@code kfm_maintenance_removed_total} and, for files, {@code
 * kfm_maintenance_removed_bytes_total}. Dry runs remove nothing and count nothing.
 */
@Singleton
class MaintenanceMetrics {
  private final MeterRegistry meters;

  MaintenanceMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void files(String task, String kind, Removed removed) {
    meters
        .counter("kfm.maintenance.removed", "task", task, "kind", kind)
        .increment(removed.count());
    meters
        .counter("kfm.maintenance.removed.bytes", "task", task, "kind", kind)
        .increment(removed.bytes());
  }

  void records(String task, long count) {
    meters.counter("kfm.maintenance.removed", "task", task, "kind", "records").increment(count);
  }
}
