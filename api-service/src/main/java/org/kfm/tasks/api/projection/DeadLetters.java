package org.kfm.tasks.api.projection;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Topics;

/**
 * Parks a record that is not a status event in {@code kfm.dlq.<topic>} with the reason in headers.
 * Only such records: a valid event whose projection fails is retried, never parked.
 */
@ApplicationScoped
public class DeadLetters {
  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final MutinyEmitter<String> emitter;
  private final TaskCatalog catalog;

  public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> emitter, TaskCatalog catalog) {
    this.emitter = emitter;
    this.catalog = catalog;
  }

  /** The value and reason are redacted: a broken event may still quote a secret. */
  public Uni<Void> park(ConsumerRecord<String, String> record, String unredactedReason) {
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
    return emitter.sendMessage(
        Message.of(record.value() == null ? "" : Redactor.recordValue(record.value(), catalog))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(target)
                    .withKey(record.key())
                    .withHeaders(headers)
                    .build()));
  }

  private static byte[] bytes(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
