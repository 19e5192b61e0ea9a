package org.kfm.tasks.worker.tasks.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;

/**
 * {@code maintenance.prune_artifacts}: deletes jobs' files ({@code jobs/...}) last written more
 * than {@code older_than_days} ago. The worker may not read the api's {@code job_artifacts}, so age
 * comes from the store itself: each object's last-modified time, which a job's re-run renews. The
 * worker's own links to pruned files ({@code simulation_run_artifacts}) go with them; the api's
 * rows stay, and a download of a pruned file answers 404 "content gone".
 */
@ApplicationScoped
public class PruneArtifactsHandler implements TaskHandler {
  static final String TASK = "maintenance.prune_artifacts";
  static final String PREFIX = "jobs/";
  private static final Logger LOG = Logger.getLogger(PruneArtifactsHandler.class);

  private final ArtifactStore store;
  private final RunArtifactRecords links;
  private final MaintenanceMetrics metrics;

  public PruneArtifactsHandler(
      ArtifactStore store, RunArtifactRecords links, MaintenanceMetrics metrics) {
    this.store = store;
    this.links = links;
    this.metrics = metrics;
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public JsonNode run(TaskContext context) throws Exception {
    int days = context.params().path("older_than_days").asInt(0);
    // The api validates params against the spec; a command from elsewhere must not prune all.
    if (days < 1) {
      throw TaskFailure.permanent("INVALID_PARAMS", "older_than_days must be at least 1");
    }
    SweepLimits limits = SweepLimits.of(context);
    Instant cutoff = Instant.now().minus(Duration.ofDays(days));
    context.step("sweep " + PREFIX);
    AtomicLong unlinked = new AtomicLong();
    StoreSweep.Outcome outcome;
    try {
      outcome =
          new StoreSweep(store, limits)
              .run(
                  PREFIX,
                  cutoff,
                  links::registeredModels,
                  keys -> unlinked.addAndGet(links.deleteByKeys(keys)));
    } catch (IOException | UncheckedIOException e) {
      throw TaskFailure.transientFailure(
          "STORE_UNAVAILABLE", "the " + store.kind() + " artifact store failed: " + e.getMessage());
    }
    if (!limits.dryRun()) {
      metrics.files(TASK, "artifacts", outcome.removed());
      metrics.records(TASK, unlinked.get());
    }
    Removed removed = outcome.removed();
    LOG.infof(
        "job=%s %s %d artifacts (%d bytes, oldest %s, newest %s) of %d under %s written before %s;"
            + " %d run links removed%s",
        context.jobId(),
        limits.dryRun() ? "dry run: would prune" : "pruned",
        removed.count(),
        removed.bytes(),
        removed.oldest(),
        removed.newest(),
        outcome.scanned(),
        PREFIX,
        cutoff,
        unlinked.get(),
        outcome.complete() ? "" : "; stopped early, the next run carries on");
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("prefix", PREFIX);
    result.put("olderThanDays", days);
    result.put("cutoff", cutoff.toString());
    result.put("dryRun", limits.dryRun());
    result.setAll(outcome.toJson(limits.dryRun()));
    result.put("runLinksRemoved", unlinked.get());
    return result;
  }
}
