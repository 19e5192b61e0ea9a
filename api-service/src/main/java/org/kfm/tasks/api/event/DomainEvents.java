package org.kfm.tasks.api.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonFormat;
import java.nio.charset.StandardCharsets;
import org.kfm.tasks.contracts.Wire;

/** CloudEvents in structured JSON mode, as they travel on {@code kfm.events.*}. */
final class DomainEvents {
  /**
   * The extension attribute the api sets to the authenticated producer of an event it accepted over
   * HTTP: the owner of the jobs the event makes.
   */
  static final String PRODUCER = "kfmproducer";

  private static final JsonFormat FORMAT = new JsonFormat();

  private DomainEvents() {}

  static CloudEvent parse(String json) {
    if (json == null || json.isBlank()) {
      throw new RefusedEvent("envelope", "empty record");
    }
    try {
      return FORMAT.deserialize(json.getBytes(StandardCharsets.UTF_8));
    } catch (EventDeserializationException | IllegalArgumentException | IllegalStateException e) {
      throw new RefusedEvent("envelope", "not a CloudEvent in structured JSON: " + e.getMessage());
    }
  }

  static byte[] serialize(CloudEvent event) {
    return FORMAT.serialize(event);
  }

  /** The event's data as JSON; an event without data has an empty object. */
  static JsonNode dataOf(CloudEvent event) {
    if (event.getData() == null) {
      return Wire.mapper().createObjectNode();
    }
    try {
      return Wire.mapper().readTree(event.getData().toBytes());
    } catch (java.io.IOException e) {
      throw new RefusedEvent("data", "data is not JSON: " + e.getMessage());
    }
  }

  /**
   * Whose the jobs are: the producer the api authenticated, or for events published straight to
   * Kafka (by producers trusted with the topic) the event's source.
   */
  static String producerOf(CloudEvent event) {
    Object producer = event.getExtension(PRODUCER);
    return producer != null ? producer.toString() : event.getSource().toString();
  }
}
