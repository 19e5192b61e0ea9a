package org.kfm.tasks.worker.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One handler run on its own thread. Stopping is cooperative first (the context says so) and then
 * forcible (the thread is interrupted); the pool thread waiting on it wakes either way.
 */
final class AttemptHandle {
  private final AttemptContext context;
  private final CompletableFuture<JsonNode> result = new CompletableFuture<>();
  private final CompletableFuture<StopReason> stopped = new CompletableFuture<>();
  private final AtomicReference<Thread> thread = new AtomicReference<>();

  AttemptHandle(AttemptContext context) {
    this.context = context;
  }

  void start(String threadName, HandlerCall call) {
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(call.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            threadName);
    // A handler that never returns must not keep the process alive at exit.
    t.setDaemon(true);
    thread.set(t);
    t.start();
  }

  void stop(StopReason reason) {
    context.stop(reason.name());
    if (stopped.complete(reason)) {
      Thread t = thread.get();
      if (t != null) {
        t.interrupt();
      }
    }
  }

  CompletableFuture<JsonNode> result() {
    return result;
  }

  CompletableFuture<StopReason> stopped() {
    return stopped;
  }

  /** The handler's body. */
  @FunctionalInterface
  interface HandlerCall {
    JsonNode run() throws Exception;
  }
}
