package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A kind of domain event producers publish ({@code kfm.events.<type>}): what its {@code data} must
 * look like, and an example that tasks' parameter mappings are checked against when the catalogue
 * loads.
 */
public record DomainEventType(
    String type, String description, JsonNode dataSchema, JsonNode example) {

  public String topic() {
    return Topics.DOMAIN_EVENTS_PREFIX + type;
  }
}
