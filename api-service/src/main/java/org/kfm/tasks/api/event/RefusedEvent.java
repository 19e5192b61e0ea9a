package org.kfm.tasks.api.event;

/** Why an event makes no job; {@code reason} is a short tag for metrics (envelope, type, data). */
final class RefusedEvent extends RuntimeException {
  final String reason;

  RefusedEvent(String reason, String message) {
    super(message);
    this.reason = reason;
  }
}
