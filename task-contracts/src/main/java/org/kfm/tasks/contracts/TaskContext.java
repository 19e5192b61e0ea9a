package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
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

  /**
   * When this attempt is stopped for running past its task's {@code timeout_seconds}: plan work
   * (page sizes, upstream timeouts) to end before it.
   */
  Instant deadline();

  /**
   * Marks the start of a named step ("fetch", "render", "upload"): logged with the job's context
   * and shown at once as the job's progress message, whatever the progress rate limit.
   */
  void step(String name);

  /**
   * Where this output comes from, to store beside it: job id, task and version, attempt and
   * idempotency key. Outputs keyed and labelled with it can be traced back to the job that made
   * them.
   */
  Map<String, Object> lineage();
}
