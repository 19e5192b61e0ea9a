package org.kfm.tasks.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: write records as a peer service would, read what was written. */
public final class KafkaTestClient implements AutoCloseable {
  private final String bootstrap;
  private final KafkaProducer<String, String> producer;

  public KafkaTestClient(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    this.producer = new KafkaProducer<>(props);
  }

  public void send(String topic, String key, String value, String... headerPairs) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      record.headers().add(new RecordHeader(headerPairs[i], headerPairs[i + 1].getBytes()));
    }
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    }
  }

  /**
   * Reads {@code topic} from the beginning until {@code count} records match, or fails after {@code
   * timeout}.
   */
  public List<ConsumerRecord<String, String>> await(
      String topic, Predicate<ConsumerRecord<String, String>> match, int count, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (found.size() < count) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              "expected "
                  + count
                  + " matching records on "
                  + topic
                  + " within "
                  + timeout
                  + ", found "
                  + found.size()
                  + ": "
                  + found);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (match.test(record)) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }

  /**
   * Reads {@code topic} from the beginning and returns every record that matches {@code match}, up
   * to and including the first that also matches {@code last}; fails after {@code timeout}. For one
   * key's records, which keep their order, this is all of them up to that one.
   */
  public List<ConsumerRecord<String, String>> awaitThrough(
      String topic,
      Predicate<ConsumerRecord<String, String>> match,
      Predicate<ConsumerRecord<String, String>> last,
      Duration timeout) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    await(
        topic,
        record -> {
          if (!match.test(record)) {
            return false;
          }
          found.add(record);
          return last.test(record);
        },
        1,
        timeout);
    return found;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
