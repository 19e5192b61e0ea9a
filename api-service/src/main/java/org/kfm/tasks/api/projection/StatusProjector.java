package org.kfm.tasks.api.projection;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.Wire;

/**
 * Consumes worker status events. A record that is not a status event goes to the DLQ (the failure
 * strategy of the channel); any other failure, such as the database being down, is retried until it
 * succeeds, so an outage delays projection but loses nothing.
 */
@ApplicationScoped
public class StatusProjector {
  private static final Logger LOG = Logger.getLogger(StatusProjector.class);

  private final EventApplier applier;

  public StatusProjector(EventApplier applier) {
    this.applier = applier;
  }

  @Incoming("job-events")
  public Uni<Void> project(String record) {
    JobEvent event = Wire.fromJson(record, JobEvent.class).requireValid();
    return applier
        .apply(event)
        .onFailure(failure -> !(failure instanceof MalformedRecordException))
        .invoke(
            failure ->
                LOG.warnf(
                    "job=%s projection failed, retrying: %s", event.jobId(), failure.toString()))
        .onFailure(failure -> !(failure instanceof MalformedRecordException))
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .indefinitely();
  }
}
