package org.kfm.tasks.worker.consume;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.run.AttemptRunner;
import org.kfm.tasks.worker.run.CommandCheck;
import org.kfm.tasks.worker.run.RunnableCommand;

/**
 * One consumer per concurrency class, each on its own bounded worker pool. Records are processed
 * out of order and acknowledged one by one when done; the throttled commit strategy then commits
 * only offsets whose records are all done, so a long job never blocks its partition and a crash
 * redelivers exactly what was not finished. A record that is not a runnable command is parked in
 * the class topic's DLQ; any other failure fails the channel (failure-strategy=fail) so that the
 * record stays uncommitted and is redelivered, never parked.
 */
@ApplicationScoped
public class ClassTopicConsumers {
  private final CommandCheck commandCheck;
  private final AttemptRunner runner;
  private final DeadLetters deadLetters;
  private final TextMapPropagator propagator;

  public ClassTopicConsumers(
      CommandCheck commandCheck,
      AttemptRunner runner,
      DeadLetters deadLetters,
      OpenTelemetry openTelemetry) {
    this.commandCheck = commandCheck;
    this.runner = runner;
    this.deadLetters = deadLetters;
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Incoming("cpu-heavy")
  @Blocking(value = "cpu-heavy", ordered = false)
  public void cpuHeavy(ConsumerRecord<String, String> record) {
    run(record, ConcurrencyClass.CPU_HEAVY);
  }

  @Incoming("io-heavy")
  @Blocking(value = "io-heavy", ordered = false)
  public void ioHeavy(ConsumerRecord<String, String> record) {
    run(record, ConcurrencyClass.IO_HEAVY);
  }

  @Incoming("latency-sensitive")
  @Blocking(value = "latency-sensitive", ordered = false)
  public void latencySensitive(ConsumerRecord<String, String> record) {
    run(record, ConcurrencyClass.LATENCY_SENSITIVE);
  }

  private void run(ConsumerRecord<String, String> record, ConcurrencyClass concurrencyClass) {
    RunnableCommand runnable;
    try {
      TaskCommand command = Wire.fromJson(record.value(), TaskCommand.class).requireValid();
      runnable = commandCheck.check(command, concurrencyClass);
    } catch (MalformedRecordException e) {
      deadLetters.park(record, e.getMessage());
      return;
    }
    runner.run(runnable, propagator.extract(Context.current(), record.headers(), HEADERS));
  }

  /**
   * Reads the W3C trace context the api put in the record's headers, so the attempt continues the
   * job's trace whatever context the connector left current.
   */
  private static final TextMapGetter<Headers> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new ArrayList<>();
          headers.forEach(header -> keys.add(header.key()));
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          if (headers == null) {
            return null;
          }
          Header header = headers.lastHeader(key);
          return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
      };
}
