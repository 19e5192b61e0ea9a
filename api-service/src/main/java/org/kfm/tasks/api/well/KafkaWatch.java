package org.kfm.tasks.api.well;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.Topics;

/**
 * Reads Kafka offsets on an interval with an admin client: how many records each DLQ topic holds
 * (end minus start offset, so records removed by retention or by an operator no longer count), and
 * how far the projector's committed offsets are behind the status-event topic. The offsets tell
 * what is parked whichever service parked it, and survive restarts, which a counter of this
 * process's parked records would not.
 */
@ApplicationScoped
public class KafkaWatch {
  private static final Logger LOG = Logger.getLogger(KafkaWatch.class);
  private static final long TIMEOUT_SECONDS = 10;

  private final WellConfig config;
  private final Map<String, Object> kafka;
  private final MeterRegistry registry;
  private final Map<String, Long> deadLetters = new ConcurrentHashMap<>();
  private volatile KafkaState last;
  private volatile long lastCommitted = -1;
  private volatile Instant lastMoved = Instant.now();
  private Admin admin;
  private Refresher timer;

  public KafkaWatch(
      WellConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      MeterRegistry registry) {
    this.config = config;
    this.kafka = kafka;
    this.registry = registry;
    // The DLQs of the class topics and of the status events exist in every deployment; others
    // (domain event types) get their series once they appear.
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      deadLetterGauge(Topics.deadLetterOf(c.topic()));
    }
    deadLetterGauge(Topics.deadLetterOf(Topics.JOB_EVENTS));
    Gauge.builder(
            "kfm.projection.backlog", this, w -> w.last == null ? 0 : w.last.projectorBacklog())
        .description("status events not yet committed by the projector")
        .register(registry);
  }

  private void deadLetterGauge(String topic) {
    if (deadLetters.putIfAbsent(topic, 0L) == null) {
      Gauge.builder("kfm.dlq.records", deadLetters, m -> m.getOrDefault(topic, 0L))
          .description("records held in a DLQ topic (end minus start offset)")
          .tag("topic", topic)
          .register(registry);
    }
  }

  void start(@Observes StartupEvent event) {
    // All kafka.* settings an admin client knows, so a TLS or SASL broker is read as the
    // connector's clients reach it.
    Map<String, Object> settings = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)) {
            settings.put(key, value);
          }
        });
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "kfm-api-watchdog");
    admin = Admin.create(settings);
    timer = Refresher.start("kafka-watch", config.refresh(), this::refresh);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.stop();
    }
    if (admin != null) {
      admin.close();
    }
  }

  KafkaState last() {
    return last;
  }

  void refresh() {
    Instant at = Instant.now();
    try {
      Set<String> topics = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Set<String> dlqs =
          topics.stream().filter(t -> t.startsWith(Topics.DLQ_PREFIX)).collect(Collectors.toSet());
      Map<String, Long> held = new HashMap<>();
      if (!dlqs.isEmpty()) {
        List<TopicPartition> partitions = partitionsOf(dlqs);
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        partitions.forEach(p -> held.merge(p.topic(), end.get(p) - start.get(p), Long::sum));
      }
      held.forEach(
          (topic, records) -> {
            deadLetterGauge(topic);
            deadLetters.put(topic, records);
          });
      long backlog = topics.contains(Topics.JOB_EVENTS) ? projectorBacklog(at) : 0;
      last = new KafkaState(at, Map.copyOf(held), backlog, lastMoved, null);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warnf("Kafka offsets not read: %s", e.toString());
      last = KafkaState.failed(at, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long projectorBacklog(Instant at)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(config.projectorGroup())
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<TopicPartition> partitions = partitionsOf(Set.of(Topics.JOB_EVENTS));
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
    long backlog = 0;
    long committedSum = 0;
    for (TopicPartition p : partitions) {
      OffsetAndMetadata c = committed.get(p);
      long done = c == null ? 0 : c.offset();
      committedSum += done;
      backlog += Math.max(0, end.get(p) - done);
    }
    if (committedSum != lastCommitted || backlog == 0) {
      lastCommitted = committedSum;
      lastMoved = at;
    }
    return backlog;
  }

  private List<TopicPartition> partitionsOf(Set<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    return admin
        .describeTopics(topics)
        .allTopicNames()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .values()
        .stream()
        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
        .toList();
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, ListOffsetsResultInfo> result =
        admin
            .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)))
            .all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    result.forEach((p, info) -> offsets.put(p, info.offset()));
    return offsets;
  }
}
