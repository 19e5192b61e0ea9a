package org.kfm.tasks.api.dispatch;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobControlRequest;
import org.kfm.tasks.contracts.Wire;

/** Tells every worker replica that a running job should stop. */
@ApplicationScoped
public class ControlPublisher {
  private static final Logger LOG = Logger.getLogger(ControlPublisher.class);

  private final MutinyEmitter<String> emitter;

  public ControlPublisher(@Channel("job-control") MutinyEmitter<String> emitter) {
    this.emitter = emitter;
  }

  /**
   * Best effort: the cancel request is already recorded on the row, so a lost control record only
   * means the job runs to its end and its outcome is kept.
   */
  public Uni<Void> requestCancel(UUID jobId, int attempt) {
    JobControlRequest request = JobControlRequest.cancel(jobId, attempt, Instant.now());
    return emitter
        .sendMessage(
            Message.of(Wire.toJson(request))
                .addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(jobId.toString())
                        .build()))
        .ifNoItem()
        .after(Duration.ofSeconds(5))
        .fail()
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf("job=%s cancel request not published: %s", jobId, failure.toString());
              return null;
            });
  }
}
