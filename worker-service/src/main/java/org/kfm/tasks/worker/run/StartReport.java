package org.kfm.tasks.worker.run;

/**
 * The "started" event of one attempt, sent at most once and never after the attempt finished: a
 * short attempt says when it started in its outcome instead. Sending under the lock keeps the start
 * ahead of the outcome in the producer.
 */
final class StartReport {
  private final Runnable send;
  private boolean settled;

  StartReport(Runnable send) {
    this.send = send;
  }

  /** Sends the start unless it was sent or the attempt finished. */
  synchronized void sendIfRunning() {
    if (!settled) {
      settled = true;
      send.run();
    }
  }

  /** The attempt finished; returns whether the start was sent as its own event. */
  synchronized boolean finish() {
    boolean sent = settled;
    settled = true;
    return sent;
  }
}
