package org.kfm.tasks.api.well;

import java.time.Instant;
import java.util.Map;

/**
 * Kafka as the watchdog last read it: records held in each DLQ topic (end minus start offsets), and
 * the projector's backlog on the status-event topic with the time its committed offsets last moved.
 * {@code error} says why the last read failed, if it did.
 */
record KafkaState(
    Instant readAt,
    Map<String, Long> deadLetters,
    long projectorBacklog,
    Instant projectorLastMoved,
    String error) {

  static KafkaState failed(Instant at, String error) {
    return new KafkaState(at, Map.of(), 0, at, error);
  }
}
