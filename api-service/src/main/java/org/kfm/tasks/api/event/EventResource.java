package org.kfm.tasks.api.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.error.Problem;
import org.kfm.tasks.contracts.FieldError;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.Wire;

/**
 * {@code POST /api/v1/events}: for producers that cannot speak Kafka. A checked CloudEvent is
 * published to {@code kfm.events.<type>} (keyed by its id) and answered 202 once the broker has it;
 * the trigger router then makes its jobs as for any other event. A broker that does not take it in
 * time is a 503 with {@code Retry-After}: the producer sends the same event again, and its id makes
 * the second delivery harmless.
 */
@Path("/api/v1/events")
public class EventResource {
  private static final Logger LOG = Logger.getLogger(EventResource.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

  private final TaskCatalog catalog;
  private final MutinyEmitter<String> emitter;
  private final SecurityIdentity identity;
  private final MeterRegistry registry;

  public EventResource(
      TaskCatalog catalog,
      @Channel("domain-events-out") MutinyEmitter<String> emitter,
      SecurityIdentity identity,
      MeterRegistry registry) {
    this.catalog = catalog;
    this.emitter = emitter;
    this.identity = identity;
    this.registry = registry;
  }

  @POST
  @RolesAllowed({"producer", "admin"})
  @Consumes({"application/cloudevents+json", MediaType.APPLICATION_JSON})
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> publish(JsonNode body) {
    List<FieldError> problems = EventEnvelope.problems(body, catalog.events());
    if (!problems.isEmpty()) {
      throw ApiProblem.badRequest("not a CloudEvent this platform accepts", problems);
    }
    String producer = identity.getPrincipal().getName();
    ObjectNode event = EventEnvelope.stamped(body, producer);
    String type = event.get("type").asText();
    String id = event.get("id").asText();
    String topic = "kfm.events." + type;
    Message<String> message =
        Message.of(Wire.toJson(event))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(id).build());
    return emitter
        .sendMessage(message)
        .ifNoItem()
        .after(PUBLISH_TIMEOUT)
        .fail()
        .map(
            sent -> {
              registry.counter("kfm.events.published", "type", type).increment();
              LOG.infof("event %s of type %s from %s published to %s", id, type, producer, topic);
              return Response.accepted(Map.of("id", id, "type", type, "topic", topic)).build();
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              Problem problem =
                  Problem.of(
                      503,
                      "Service unavailable",
                      "the event broker did not take the event; send it again later",
                      List.of());
              LOG.warnf(
                  "errorId=%s event %s not published: %s",
                  problem.errorId(), id, failure.toString());
              return problem.toResponse().header("Retry-After", "5").build();
            });
  }
}
