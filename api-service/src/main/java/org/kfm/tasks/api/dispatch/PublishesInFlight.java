package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs whose request-path publish has not settled yet in this replica: sent but not acknowledged,
 * or acknowledged but not yet marked dispatched. Under a large backlog that takes longer than the
 * fast-path grace, and the dispatcher loop would publish the same commands a second time.
 *
 * <p>Only a hint: it lives in memory, so after a restart, or for another replica, the row's
 * next_dispatch_at still decides and the command may be published twice: a worker may then run the
 * attempt twice, and the transition table keeps the job's outcome to one.
 */
@ApplicationScoped
public class PublishesInFlight {
  private final Set<UUID> ids = ConcurrentHashMap.newKeySet();

  public PublishesInFlight(MeterRegistry registry) {
    registry.gaugeCollectionSize("kfm.dispatch.in_flight", Tags.empty(), ids);
  }

  public void addAll(Collection<UUID> jobIds) {
    ids.addAll(jobIds);
  }

  public void removeAll(Collection<UUID> jobIds) {
    jobIds.forEach(ids::remove);
  }

  public boolean contains(UUID jobId) {
    return ids.contains(jobId);
  }
}
