package org.kfm.tasks.api.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.job.JobSubmission;
import org.kfm.tasks.api.projection.DeadLetters;
import org.kfm.tasks.api.store.NewJob;
import org.kfm.tasks.contracts.DomainEventCatalog;
import org.kfm.tasks.contracts.EventParams;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.JobIds;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * Turns domain events ({@code kfm.events.<type>}, CloudEvents) into jobs of the tasks that name
 * their type. A job's id follows from the event's source and id and the task, and its idempotency
 * key from the same, so a duplicate or replayed event finds its job already there and makes none.
 * An event that cannot become jobs (not a CloudEvent, unknown type, data or mapped params refused)
 * is parked in the DLQ with the reason and the partition moves on; a database outage is retried
 * until it ends, the event staying uncommitted meanwhile.
 */
@ApplicationScoped
public class DomainEventRouter {
  private static final Logger LOG = Logger.getLogger(DomainEventRouter.class);

  private final TaskCatalog catalog;
  private final JobSubmission submission;
  private final DeadLetters deadLetters;
  private final MeterRegistry registry;

  public DomainEventRouter(
      TaskCatalog catalog,
      JobSubmission submission,
      DeadLetters deadLetters,
      MeterRegistry registry) {
    this.catalog = catalog;
    this.submission = submission;
    this.deadLetters = deadLetters;
    this.registry = registry;
  }

  @Incoming("domain-events")
  public Uni<Void> route(ConsumerRecord<String, String> record) {
    String type = record.topic().substring("kfm.events.".length());
    List<NewJob> jobs;
    try {
      jobs = jobsOf(DomainEvents.parse(record.value()), type);
    } catch (RefusedEvent e) {
      registry.counter("kfm.events.parked", "type", bounded(type), "reason", e.reason).increment();
      return deadLetters.park(record, e.getMessage());
    }
    registry.counter("kfm.events.received", "type", bounded(type)).increment();
    if (jobs.isEmpty()) {
      LOG.debugf("event on %s triggers no task", record.topic());
      return Uni.createFrom().voidItem();
    }
    return Uni.join()
        .all(jobs.stream().map(this::submit).toList())
        .andFailFast()
        .replaceWithVoid()
        .onFailure()
        .invoke(f -> LOG.warnf("jobs of event %s not stored yet, retrying: %s", record.key(), f))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .indefinitely();
  }

  private Uni<Void> submit(NewJob job) {
    return submission
        .submitTriggered(job)
        .invoke(
            inserted -> {
              String outcome = inserted ? "created" : "duplicate";
              registry
                  .counter("kfm.events.mapped", "task", job.task(), "outcome", outcome)
                  .increment();
              LOG.infof(
                  "job=%s task=%s %s from event %s",
                  job.id(), job.task(), outcome, job.idempotencyKey());
            })
        .replaceWithVoid();
  }

  /** Every job the event makes, or why it makes none. */
  List<NewJob> jobsOf(CloudEvent event, String topicType) {
    if (!event.getType().equals(topicType)) {
      throw new RefusedEvent(
          "type", "event type " + event.getType() + " arrived on the topic of " + topicType);
    }
    DomainEventCatalog.Entry type =
        catalog
            .events()
            .find(event.getType())
            .orElseThrow(() -> new RefusedEvent("type", "unknown event type " + event.getType()));
    JsonNode data = DomainEvents.dataOf(event);
    List<FieldError> invalid = type.dataValidator().validate(data);
    if (!invalid.isEmpty()) {
      throw new RefusedEvent("data", "data refused: " + describe(invalid));
    }
    String owner = DomainEvents.producerOf(event);
    Instant now = Instant.now();
    List<NewJob> jobs = new ArrayList<>();
    for (TaskCatalog.Entry entry : catalog.triggeredBy(event.getType())) {
      TaskSpec spec = entry.spec();
      JsonNode params =
          EventParams.map(
              spec.eventParams().getOrDefault(event.getType(), java.util.Map.of()), data);
      UUID id = JobIds.forEvent(event.getSource().toString(), event.getId(), spec.name());
      String key = "event:" + event.getSource() + ":" + event.getId();
      try {
        jobs.add(
            submission.rules().prepareTriggered(spec, owner, params, id, key, trigger(event), now));
      } catch (ApiProblem e) {
        throw new RefusedEvent(
            "params", "params for " + spec.name() + " refused: " + describe(e.errors()));
      }
    }
    return jobs;
  }

  private static ObjectNode trigger(CloudEvent event) {
    ObjectNode trigger = JsonNodeFactory.instance.objectNode();
    trigger.put("kind", "event");
    trigger.put("eventId", event.getId());
    trigger.put("eventType", event.getType());
    trigger.put("eventSource", event.getSource().toString());
    if (event.getTime() != null) {
      trigger.put("eventTime", event.getTime().toInstant().toString());
    }
    return trigger;
  }

  private static String describe(List<FieldError> errors) {
    return String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList());
  }

  /** Types come from the catalogue or are named "unknown": the tag's values stay few. */
  private String bounded(String type) {
    return catalog.events().find(type).isPresent() ? type : "unknown";
  }
}
