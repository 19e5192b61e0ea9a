package org.kfm.tasks.contracts;

/**
 * Everything that can happen to a job. Worker events ({@link #STARTED} .. {@link #CANCELED}) come
 * from Kafka and carry an attempt; the rest are decisions of the api-service.
 */
public enum Transition {
  /** A worker began the attempt. */
  STARTED,
  /** A worker reported progress (also a heartbeat). */
  PROGRESS,
  /** The attempt produced a result. */
  SUCCEEDED,
  /** The attempt failed; whether another attempt follows is the retry policy's decision. */
  FAILED,
  /** The worker stopped the attempt because cancellation was requested. */
  CANCELED,
  /** The dispatcher published a due job to its class topic. */
  DISPATCHED,
  /** A failed or lost attempt will be followed by another after a backoff. */
  RETRY_SCHEDULED,
  /** A user asked to cancel. */
  CANCEL_REQUESTED,
  /** The job's deadline passed before it started. */
  EXPIRED,
  /** A user asked to run a finished job again. */
  MANUAL_RETRY
}
