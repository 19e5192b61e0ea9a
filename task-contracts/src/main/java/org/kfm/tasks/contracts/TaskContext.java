package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** What a handler knows about the attempt it runs, and how it talks back. */
public interface TaskContext {
  UUID jobId();

  int attempt();

  /** The client's idempotency key, or the job id when none was given: key outputs on it. */
  String idempotencyKey();

  JsonNode params();

  TaskSpec spec();

  /** Reports progress; cheap to call often (the worker rate-limits what it publishes). */
  void progress(double fraction, String message);

  /** True once cancellation was requested or the attempt timed out; long loops should check it. */
  boolean isCancelled();
}
