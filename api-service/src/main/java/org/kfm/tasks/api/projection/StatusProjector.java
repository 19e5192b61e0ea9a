package org.kfm.tasks.api.projection;

import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.Wire;

/**
 * Consumes worker status events in batches (records of a partition stay in order). Records that are
 * not status events are parked in the DLQ; the rest are applied in one transaction, retried until
 * it succeeds, so a database outage delays projection but loses nothing. Should the channel still
 * fail, the batch stays uncommitted and is redelivered.
 */
@ApplicationScoped
public class StatusProjector {
  private static final Logger LOG = Logger.getLogger(StatusProjector.class);

  private final EventApplier applier;
  private final DeadLetters deadLetters;
  private final ProjectionSpans spans;

  public StatusProjector(EventApplier applier, DeadLetters deadLetters, ProjectionSpans spans) {
    this.applier = applier;
    this.deadLetters = deadLetters;
    this.spans = spans;
  }

  @Incoming("job-events")
  public Uni<Void> project(ConsumerRecords<String, String> records) {
    List<JobEvent> events = new ArrayList<>();
    List<ConsumerRecord<String, String>> eventRecords = new ArrayList<>();
    List<Uni<Void>> parked = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      try {
        events.add(Wire.fromJson(record.value(), JobEvent.class).requireValid());
        eventRecords.add(record);
      } catch (MalformedRecordException e) {
        parked.add(deadLetters.park(record, e.getMessage()));
      }
    }
    Uni<Void> park =
        parked.isEmpty()
            ? Uni.createFrom().voidItem()
            : Uni.join().all(parked).andFailFast().replaceWithVoid();
    if (events.isEmpty()) {
      return park;
    }
    List<Span> projecting = spans.start(eventRecords, events);
    return park.chain(
            () ->
                applier
                    .apply(events)
                    .onFailure()
                    .invoke(
                        f ->
                            LOG.warnf(
                                "projection of %d events failed, retrying: %s",
                                events.size(), f.toString()))
                    .onFailure()
                    .retry()
                    .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                    .indefinitely())
        .onItemOrFailure()
        .invoke((done, failure) -> ProjectionSpans.end(projecting, failure));
  }
}
