package org.kfm.tasks.api.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/**
 * A bounded number of API requests in progress, and of batch submissions among them; the rest are
 * shed, counted, and told to retry.
 */
@ApplicationScoped
public class AdmissionGate {
  /** The place a request holds while it runs. */
  public enum Kind {
    REQUEST,
    BATCH
  }

  private final int capacity;
  private final Semaphore requests;
  private final Semaphore batches;
  private final Counter shedRequests;
  private final Counter shedBatches;

  public AdmissionGate(AdmissionConfig config, MeterRegistry registry) {
    this.capacity = config.maxInFlight();
    this.requests = new Semaphore(capacity);
    this.batches = new Semaphore(config.maxBatchesInFlight());
    this.shedRequests = registry.counter("kfm.api.requests.shed", "kind", "request");
    this.shedBatches = registry.counter("kfm.api.requests.shed", "kind", "batch");
    registry.gauge("kfm.api.requests.in_flight", requests, p -> capacity - p.availablePermits());
  }

  /** Takes a place for one request; false when none is free (the refusal is counted). */
  public boolean tryEnter(Kind kind) {
    if (!requests.tryAcquire()) {
      shedRequests.increment();
      return false;
    }
    if (kind == Kind.BATCH && !batches.tryAcquire()) {
      requests.release();
      shedBatches.increment();
      return false;
    }
    return true;
  }

  /** Gives back the place of a request that has ended, however it ended. */
  public void leave(Kind kind) {
    if (kind == Kind.BATCH) {
      batches.release();
    }
    requests.release();
  }

  public int inFlight() {
    return capacity - requests.availablePermits();
  }
}
