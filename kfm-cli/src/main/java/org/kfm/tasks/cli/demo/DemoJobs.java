package org.kfm.tasks.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.contracts.JobIds;
import org.kfm.tasks.contracts.Wire;

/** The demo's submissions, each as a local user with the role its task requires. */
public final class DemoJobs {
  static final String EVENT_SOURCE = "urn:kfm:demo:archive";

  private final Function<String, ApiClient> clientFor;
  private final Map<String, ApiClient> clients = new HashMap<>();

  /**
   * @param clientFor an API client acting with the given role
   */
  public DemoJobs(Function<String, ApiClient> clientFor) {
    this.clientFor = clientFor;
  }

  private ApiClient as(String role) {
    return clients.computeIfAbsent(role, clientFor);
  }

  /** Sees every job, whoever submitted it. */
  public ApiClient admin() {
    return as("admin");
  }

  /** The names of the tasks the API offers. */
  public List<String> catalogue() {
    List<String> names = new ArrayList<>();
    admin().get("/api/v1/tasks").forEach(t -> names.add(t.path("name").asText()));
    return names;
  }

  /** Submits one job; returns its id. */
  public String submit(String role, String task, String params) {
    ObjectNode body = Wire.mapper().createObjectNode().put("task", task);
    body.set("params", Wire.fromJson(params, JsonNode.class));
    return as(role).post("/api/v1/jobs", body, Map.of()).path("id").asText();
  }

  /** Submits jobs of one task in one request (and one transaction); returns their ids in order. */
  public List<String> submitAll(String role, String task, List<String> params) {
    ObjectNode body = Wire.mapper().createObjectNode();
    ArrayNode jobs = body.putArray("jobs");
    for (String p : params) {
      jobs.addObject().put("task", task).set("params", Wire.fromJson(p, JsonNode.class));
    }
    List<String> ids = new ArrayList<>();
    as(role)
        .post("/api/v1/jobs:batch", body, Map.of())
        .path("items")
        .forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  /**
   * Publishes an imagery.arrived event as a producer would; returns the ids of the jobs it makes
   * (the scene recorded, then the tiles over it warmed), known before they exist.
   */
  public List<String> publishImageryArrived(String eventId) {
    ObjectNode event = Wire.mapper().createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", eventId);
    event.put("source", EVENT_SOURCE);
    event.put("type", "imagery.arrived");
    event.set(
        "data",
        Wire.fromJson(
            "{\"scene_id\":\""
                + eventId
                + "\",\"sensor\":\"sentinel-2b\",\"acquired_at\":\"2026-11-30T10:03:19Z\","
                + "\"footprint\":{\"type\":\"Polygon\",\"coordinates\":[[[24.5,60.0],[25.4,60.0],"
                + "[25.4,60.4],[24.5,60.4],[24.5,60.0]]]},\"bbox\":[24.5,60.0,25.4,60.4]}",
            JsonNode.class));
    as("producer").post("/api/v1/events", event, Map.of());
    return List.of(
        JobIds.forEvent(EVENT_SOURCE, eventId, "ingest.imagery_scene").toString(),
        JobIds.forEvent(EVENT_SOURCE, eventId, "geo.tile_cache_warm").toString());
  }
}
