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

  /**
   * Who submitted the job. Tasks that read stored data scope it to this owner, so a user's export
   * or report never holds another user's rows.
   */
  String owner();

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
   * Where this output comes from, to store beside it: job id, task and version, attempt,
   * idempotency key, trace id and what the client supplied for the spec's {@code lineage.include}
   * (input dataset versions, pipeline run id). Outputs keyed and labelled with it can be traced
   * back to the job that made them.
   */
  Map<String, Object> lineage();

  /**
   * Stores a file under this job ({@code jobs/{jobId}/{name}}): the bytes are written to a
   * temporary file, hashed, then put in the artifact store in one atomic step, so a retry replaces
   * rather than duplicates. The job's final status event lists every artifact stored this way.
   *
   * @param name a plain file name (letters, digits, {@code . _ -}), unique within the job
   */
  ArtifactRef artifact(String name, String contentType, ArtifactContent content)
      throws java.io.IOException;
}
