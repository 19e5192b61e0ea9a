package org.kfm.tasks.worker.tasks.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.artifacts.StoredObject;
import org.kfm.tasks.contracts.Wire;

/**
 * Deletes, in batches, the artifact store's objects under a prefix whose last write is before a
 * cutoff. The listing is lazy and each batch is deleted as soon as it is full, so memory holds one
 * batch whatever the store's size. Another sweep of the same prefix at the same time is harmless:
 * the store's delete ignores keys that are already gone, and its listing skips folders removed
 * under it; both then report the objects they saw, which may overlap.
 */
final class StoreSweep {
  private static final Logger LOG = Logger.getLogger(StoreSweep.class);

  /** Runs before each batch is deleted from the store, with the batch's keys. */
  interface BeforeDelete {
    void accept(List<String> keys) throws Exception;
  }

  /** Of a batch of old keys, those still in use, which stay whatever their age. */
  interface InUse {
    Set<String> of(List<String> keys) throws Exception;
  }

  /**
   * @param removed what was deleted (in a dry run: what would have been)
   * @param complete false when the sweep stopped early (cancel, deadline)
   */
  record Outcome(Removed removed, long scanned, boolean complete) {
    static final Outcome NOT_RUN = new Outcome(Removed.NONE, 0, false);

    /** Named {@code removed}, or {@code wouldRemove} in a dry run, so a report cannot mislead. */
    ObjectNode toJson(boolean dryRun) {
      ObjectNode json = Wire.mapper().createObjectNode();
      json.put("scanned", scanned);
      json.put("complete", complete);
      json.set(dryRun ? "wouldRemove" : "removed", removed.toJson());
      return json;
    }
  }

  private final ArtifactStore store;
  private final SweepLimits limits;

  StoreSweep(ArtifactStore store, SweepLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  Outcome run(String prefix, Instant cutoff, BeforeDelete beforeDelete) throws Exception {
    return run(prefix, cutoff, keys -> Set.of(), beforeDelete);
  }

  Outcome run(String prefix, Instant cutoff, InUse inUse, BeforeDelete beforeDelete)
      throws Exception {
    Removed removed = Removed.NONE;
    List<StoredObject> batch = new ArrayList<>(limits.batchSize());
    long scanned = 0;
    try (Stream<StoredObject> listing = store.list(prefix)) {
      var objects = listing.iterator();
      while (objects.hasNext()) {
        if (limits.stopNow()) {
          return new Outcome(removed.plus(flush(batch, inUse, beforeDelete)), scanned, false);
        }
        StoredObject object = objects.next();
        scanned++;
        if (!object.lastModified().isBefore(cutoff)) {
          continue;
        }
        batch.add(object);
        if (batch.size() == limits.batchSize()) {
          removed = removed.plus(flush(batch, inUse, beforeDelete));
          limits.progress(prefix, scanned, removed);
        }
      }
    }
    removed = removed.plus(flush(batch, inUse, beforeDelete));
    return new Outcome(removed, scanned, true);
  }

  private Removed flush(List<StoredObject> objects, InUse inUse, BeforeDelete beforeDelete)
      throws Exception {
    if (objects.isEmpty()) {
      return Removed.NONE;
    }
    Set<String> kept = inUse.of(objects.stream().map(StoredObject::key).toList());
    List<String> batch = new ArrayList<>(objects.size());
    Removed pending = Removed.NONE;
    for (StoredObject object : objects) {
      if (!kept.contains(object.key())) {
        batch.add(object.key());
        pending = pending.plus(object.size(), object.lastModified());
      }
    }
    objects.clear();
    if (batch.isEmpty()) {
      return Removed.NONE;
    }
    if (!limits.dryRun()) {
      beforeDelete.accept(List.copyOf(batch));
      store.delete(batch);
      LOG.debugf(
          "deleted %d objects (%d bytes) from the %s store",
          batch.size(), pending.bytes(), store.kind());
    }
    batch.clear();
    return pending;
  }
}
