package org.kfm.tasks.worker.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jboss.logging.MDC;

/**
 * One handler run on a thread of its own for as long as it runs. Stopping is cooperative first (the
 * context says so) and then forcible (the thread is interrupted); the pool thread waiting on it
 * wakes either way. Handler threads are pooled, so an interrupt is only ever delivered while this
 * attempt holds the thread, and none survives into the thread's next attempt.
 */
final class AttemptHandle {
  private final AttemptContext context;
  private final CompletableFuture<JsonNode> result = new CompletableFuture<>();
  private final CompletableFuture<StopReason> stopped = new CompletableFuture<>();
  private Thread thread;

  AttemptHandle(AttemptContext context) {
    this.context = context;
  }

  AttemptContext context() {
    return context;
  }

  void start(Executor threads, String threadName, HandlerCall call) {
    // The handler's log lines carry the job's context (job, task, attempt, trace) like the
    // runner's.
    Map<String, Object> logContext = MDC.getMap();
    // Spans the handler starts (an HTTP client's, its own) join the attempt's trace.
    Context traceContext = context.trace().context();
    threads.execute(
        () -> {
          logContext.forEach(MDC::put);
          Scope scope = traceContext.makeCurrent();
          Thread current = Thread.currentThread();
          String poolName = current.getName();
          current.setName(threadName);
          synchronized (this) {
            thread = current;
          }
          try {
            if (stopped.isDone()) {
              result.completeExceptionally(new InterruptedException("stopped before it started"));
            } else {
              result.complete(call.run());
            }
          } catch (Throwable e) {
            result.completeExceptionally(e);
          } finally {
            synchronized (this) {
              thread = null;
            }
            // An interrupt aimed at this attempt must not reach the thread's next one.
            Thread.interrupted();
            scope.close();
            MDC.clear();
            current.setName(poolName);
          }
        });
  }

  void stop(StopReason reason) {
    context.stop(reason.name());
    if (stopped.complete(reason)) {
      synchronized (this) {
        if (thread != null) {
          thread.interrupt();
        }
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
