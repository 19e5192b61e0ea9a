package org.kfm.tasks.api.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.ScheduleRow;
import org.kfm.tasks.api.store.ScheduleStore;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/**
 * Creates the configured default schedules ({@code kfm.schedules.defaults.<name>.*}) at start, each
 * only when its task is in this build's catalogue and no schedule of its name exists: a default for
 * a task not shipped yet appears with the release that ships it, and an admin's edit, pause or
 * delete of a default is never undone by a restart. A default that does not pass the schedule rules
 * is logged and left out; it never stops the service.
 */
@ApplicationScoped
public class DefaultSchedules {
  private static final Logger LOG = Logger.getLogger(DefaultSchedules.class);
  static final String CREATOR = "defaults";

  private final SchedulesConfig config;
  private final TaskCatalog catalog;
  private final ScheduleStore store;

  public DefaultSchedules(SchedulesConfig config, TaskCatalog catalog, ScheduleStore store) {
    this.config = config;
    this.catalog = catalog;
    this.store = store;
  }

  void onStart(@Observes StartupEvent event) {
    ensure().await().atMost(Duration.ofSeconds(30));
  }

  /** Creates the defaults that are missing; returns how many it created. */
  public Uni<Integer> ensure() {
    ScheduleRules rules = new ScheduleRules(catalog);
    Uni<Integer> created = Uni.createFrom().item(0);
    for (Map.Entry<String, SchedulesConfig.DefaultSchedule> e : config.defaults().entrySet()) {
      String name = e.getKey();
      SchedulesConfig.DefaultSchedule d = e.getValue();
      if (catalog.find(d.task()).isEmpty()) {
        LOG.infof("default schedule=%s waits for task %s, not in this catalogue", name, d.task());
        continue;
      }
      ScheduleRow row;
      try {
        row =
            rules.check(
                name,
                new ScheduleRequest(
                    name,
                    d.cron(),
                    d.timeZone(),
                    d.task(),
                    Wire.fromJson(d.params(), JsonNode.class),
                    d.enabled(),
                    null,
                    null),
                CREATOR,
                Instant.now());
      } catch (RuntimeException invalid) { // ApiProblem, or params that are not JSON
        LOG.errorf(
            "default schedule=%s is not valid and was not created: %s", name, invalid.getMessage());
        continue;
      }
      created =
          created.flatMap(
              n ->
                  store
                      .insert(row)
                      .map(
                          inserted -> {
                            if (inserted) {
                              LOG.infof(
                                  "default schedule=%s created (%s, enabled=%s)",
                                  name, row.cron(), row.enabled());
                            }
                            return inserted ? n + 1 : n;
                          }));
    }
    return created;
  }
}
