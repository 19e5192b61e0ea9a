package org.kfm.tasks.api.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.api.trace.JobTraces;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;

/** Publishes task commands to their class topic, keyed by job id; completes when Kafka acks. */
// Created at start, so that its meters are scraped at zero before the first request.
@Startup
@ApplicationScoped
public class CommandPublisher {
  private final MutinyEmitter<String> emitter;
  private final DispatchConfig config;
  private final Map<ConcurrencyClass, Timer> lag = new EnumMap<>(ConcurrencyClass.class);

  // Room for every command that can be in flight at once: four 1,000-job batches being accepted
  // and a dispatcher pass. With the default 128 the surplus failed and waited for a retry.
  public CommandPublisher(
      @Channel("task-commands") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<String> emitter,
      DispatchConfig config,
      MeterRegistry registry) {
    this.emitter = emitter;
    this.config = config;
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      lag.put(
          c,
          Timer.builder("kfm.dispatch.lag")
              .description("from a job's attempt becoming due to Kafka acknowledging its command")
              .tag("class", c.wireName())
              .publishPercentileHistogram()
              .register(registry));
    }
  }

  /**
   * Publishes the command of a job's row to its class topic; fails if Kafka has not acknowledged it
   * within the publish timeout, so the row stays in the outbox for the next pass.
   */
  public Uni<Void> publish(JobRow row) {
    ConcurrencyClass concurrencyClass =
        ConcurrencyClass.fromWireName(row.queue()).orElse(ConcurrencyClass.LATENCY_SENSITIVE);
    TaskCommand command = TaskCommands.of(row);
    return publish(command, concurrencyClass)
        .ifNoItem()
        .after(config.publishTimeout())
        .fail()
        .invoke(
            () -> {
              Duration waited = Duration.between(command.enqueuedAt(), Instant.now());
              lag.get(concurrencyClass).record(waited.isNegative() ? Duration.ZERO : waited);
            });
  }

  /**
   * Publishes a command in its job's trace: the record's traceparent names the context the job
   * recorded at submission, whatever is current where it is published (a dispatcher pass, a retry).
   */
  public Uni<Void> publish(TaskCommand command, ConcurrencyClass concurrencyClass) {
    Message<String> message =
        Message.of(Wire.toJson(command))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(command.jobId().toString())
                    .withTopic(concurrencyClass.topic())
                    .build());
    Message<String> traced =
        JobTraces.recordedIn(command.lineage())
            .map(job -> message.addMetadata(TracingMetadata.withCurrent(job)))
            .orElse(message);
    return emitter.sendMessage(traced);
  }
}
