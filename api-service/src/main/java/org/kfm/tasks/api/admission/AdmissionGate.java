package org.kfm.tasks.api.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/** A bounded number of API requests in progress; the rest are shed, counted, and told to retry. */
@ApplicationScoped
public class AdmissionGate {
  private final int capacity;
  private final Semaphore permits;
  private final Counter shed;

  public AdmissionGate(AdmissionConfig config, MeterRegistry registry) {
    this.capacity = config.maxInFlight();
    this.permits = new Semaphore(capacity);
    this.shed = registry.counter("kfm.api.requests.shed");
    registry.gauge("kfm.api.requests.in_flight", permits, p -> capacity - p.availablePermits());
  }

  /** Takes a place for one request; false when none is free (the refusal is counted). */
  public boolean tryEnter() {
    if (permits.tryAcquire()) {
      return true;
    }
    shed.increment();
    return false;
  }

  /** Gives back the place of a request that has ended, however it ended. */
  public void leave() {
    permits.release();
  }

  public int inFlight() {
    return capacity - permits.availablePermits();
  }
}
