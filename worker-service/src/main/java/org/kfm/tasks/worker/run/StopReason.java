package org.kfm.tasks.worker.run;

/** Why a running attempt was asked to stop before its handler returned. */
public enum StopReason {
  TIMEOUT,
  CANCELED,
  SHUTDOWN
}
