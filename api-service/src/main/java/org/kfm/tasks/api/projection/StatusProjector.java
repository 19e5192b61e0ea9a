package org.kfm.tasks.api.projection;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.Wire;

/**
 * Consumes worker status events. A record that is not a status event is parked in the DLQ; any
 * other failure, such as the database being down, is retried until it succeeds, so an outage delays
 * projection but loses nothing. Should the channel still fail, the record stays uncommitted and is
 * redelivered.
 */
@ApplicationScoped
public class StatusProjector {
  private static final Logger LOG = Logger.getLogger(StatusProjector.class);

  private final EventApplier applier;
  private final DeadLetters deadLetters;

  public StatusProjector(EventApplier applier, DeadLetters deadLetters) {
    this.applier = applier;
    this.deadLetters = deadLetters;
  }

  @Incoming("job-events")
  public Uni<Void> project(ConsumerRecord<String, String> record) {
    JobEvent event;
    try {
      event = Wire.fromJson(record.value(), JobEvent.class).requireValid();
    } catch (MalformedRecordException e) {
      return deadLetters.park(record, e.getMessage());
    }
    return applier
        .apply(event)
        .onFailure()
        .invoke(
            failure ->
                LOG.warnf(
                    "job=%s projection failed, retrying: %s", event.jobId(), failure.toString()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .indefinitely();
  }
}
