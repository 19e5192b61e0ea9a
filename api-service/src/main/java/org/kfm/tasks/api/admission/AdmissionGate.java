package org.kfm.tasks.api.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/**
 * A bounded number of API requests in progress, and of batch submissions among them; the rest are
 * shed, counted, and told to retry. Artifact downloads have places of their own: one may last as
 * long as a slow client takes to read a large file, and a few such must not shed submissions.
 */
// Created at start, so that its meters are scraped at zero before the first request.
@Startup
@ApplicationScoped
public class AdmissionGate {
  /** The place a request holds while it runs. */
  public enum Kind {
    REQUEST,
    BATCH,
    DOWNLOAD
  }

  private final int capacity;
  private final Semaphore requests;
  private final Semaphore batches;
  private final Semaphore downloads;
  private final Counter shedRequests;
  private final Counter shedBatches;
  private final Counter shedDownloads;

  public AdmissionGate(AdmissionConfig config, MeterRegistry registry) {
    this.capacity = config.maxInFlight();
    this.requests = new Semaphore(capacity);
    this.batches = new Semaphore(config.maxBatchesInFlight());
    this.downloads = new Semaphore(config.maxDownloadsInFlight());
    this.shedRequests = registry.counter("kfm.api.requests.shed", "kind", "request");
    this.shedBatches = registry.counter("kfm.api.requests.shed", "kind", "batch");
    this.shedDownloads = registry.counter("kfm.api.requests.shed", "kind", "download");
    registry.gauge("kfm.api.requests.in_flight", requests, p -> capacity - p.availablePermits());
  }

  /** Takes a place for one request; false when none is free (the refusal is counted). */
  public boolean tryEnter(Kind kind) {
    if (kind == Kind.DOWNLOAD) {
      if (!downloads.tryAcquire()) {
        shedDownloads.increment();
        return false;
      }
      return true;
    }
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
    if (kind == Kind.DOWNLOAD) {
      downloads.release();
      return;
    }
    if (kind == Kind.BATCH) {
      batches.release();
    }
    requests.release();
  }

  public int inFlight() {
    return capacity - requests.availablePermits();
  }
}
