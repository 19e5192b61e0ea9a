package org.kfm.tasks.contracts;

/** Error codes the platform itself reports; handlers add their own. */
public final class ErrorCodes {
  /** The attempt ran longer than its task's timeout_seconds. */
  public static final String TIMEOUT = "TIMEOUT";

  /** The job was not started before its deadline. */
  public static final String EXPIRED = "EXPIRED";

  /** No heartbeat arrived within the lease: the worker died or was cut off. */
  public static final String LOST = "LOST";

  /**
   * The worker was shutting down and stopped the attempt; it does not count against the job's
   * attempts.
   */
  public static final String WORKER_SHUTDOWN = "WORKER_SHUTDOWN";

  /** A handler failed with an unexpected exception. */
  public static final String INTERNAL = "INTERNAL";

  private ErrorCodes() {}
}
