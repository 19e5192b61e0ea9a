package org.kfm.tasks.worker.consume;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Topics;

/**
 * Parks a record that is not a runnable command in {@code kfm.dlq.<topic>}, with the reason and its
 * origin in headers. Only such records go there: any other failure leaves the record uncommitted,
 * to be redelivered, instead of parking a valid job.
 */
@ApplicationScoped
public class DeadLetters {
  private static final Logger LOG = Logger.getLogger(DeadLetters.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<String> emitter;
  private final TaskCatalog catalog;

  public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> emitter, TaskCatalog catalog) {
    this.emitter = emitter;
    this.catalog = catalog;
  }

  /**
   * Blocks until the dead letter is acknowledged, so the original may then be committed. A parked
   * command keeps its shape but loses its redacted params; the reason may quote the record, so it
   * is redacted too.
   */
  public void park(ConsumerRecord<String, String> record, String unredactedReason) {
    String reason = Redactor.patternsOnly().text(unredactedReason);
    RecordHeaders headers = new RecordHeaders();
    headers.add("dead-letter-reason", bytes(reason));
    headers.add("dead-letter-topic", bytes(record.topic()));
    headers.add("dead-letter-partition", bytes(String.valueOf(record.partition())));
    headers.add("dead-letter-offset", bytes(String.valueOf(record.offset())));
    String target = Topics.deadLetterOf(record.topic());
    LOG.warnf(
        "record %s-%d@%d parked in %s: %s",
        record.topic(), record.partition(), record.offset(), target, reason);
    emitter
        .sendMessage(
            Message.of(record.value() == null ? "" : Redactor.recordValue(record.value(), catalog))
                .addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(target)
                        .withKey(record.key())
                        .withHeaders(headers)
                        .build()))
        .await()
        .atMost(ACK_TIMEOUT);
  }

  private static byte[] bytes(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
