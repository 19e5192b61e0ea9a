package org.kfm.tasks.worker.run;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Wire;

/** Publishes status events keyed by job id, so one job's events stay in order. */
@ApplicationScoped
public class EventSender {
  private static final Logger LOG = Logger.getLogger(EventSender.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<String> emitter;
  private final WorkerConfig config;

  public EventSender(@Channel("job-events") MutinyEmitter<String> emitter, WorkerConfig config) {
    this.emitter = emitter;
    this.config = config;
  }

  private Message<String> message(JobEvent event) {
    return Message.of(Wire.toJson(event))
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.jobId().toString())
                .build());
  }

  /**
   * Fire and forget, for events the outcome supersedes (progress, heartbeats, start): a lost one
   * changes nothing that the outcome does not settle.
   */
  public void sendProgress(JobEvent event) {
    emitter
        .sendMessage(message(event))
        .subscribe()
        .with(
            ok -> {},
            failure -> LOG.debugf("job=%s progress not published: %s", event.jobId(), failure));
  }

  /** Blocks until Kafka acknowledged the event. */
  public void send(JobEvent event) {
    emitter.sendMessage(message(event)).await().atMost(ACK_TIMEOUT);
  }

  /**
   * Blocks until Kafka acknowledged the final event, retrying through a broker outage. The command
   * is acknowledged only after this returns, so a crash before it means redelivery, not a lost job.
   */
  public void sendFinal(JobEvent event) {
    Instant giveUp = Instant.now().plus(config.finalEventPatience());
    Duration pause = Duration.ofMillis(200);
    while (true) {
      try {
        send(event);
        return;
      } catch (RuntimeException e) {
        if (Instant.now().isAfter(giveUp)) {
          throw e;
        }
        LOG.warnf(
            "job=%s final %s event not acknowledged yet (%s); retrying",
            event.jobId(), event.type().wireName(), e.toString());
        sleep(pause);
        pause =
            pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : pause.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing a final event", e);
    }
  }
}
