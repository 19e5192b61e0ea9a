package org.kfm.tasks.worker.tasks.imagery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskFailure;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.outputs.Outputs;

/**
 * {@code ingest.imagery_scene}: records an arrived scene in the catalogue, keyed by scene id, so a
 * scene announced twice (or replayed) is one row. A second announcement with other metadata
 * replaces the first: the archive's latest word wins.
 */
@ApplicationScoped
public class ImagerySceneHandler implements TaskHandler {
  private final Outputs outputs;

  public ImagerySceneHandler(Outputs outputs) {
    this.outputs = outputs;
  }

  @Override
  public String task() {
    return "ingest.imagery_scene";
  }

  @Override
  public JsonNode run(TaskContext context) {
    JsonNode p = context.params();
    JsonNode bbox = p.path("bbox");
    double west = bbox.path(0).asDouble();
    double south = bbox.path(1).asDouble();
    double east = bbox.path(2).asDouble();
    double north = bbox.path(3).asDouble();
    if (!(west < east) || !(south < north) || south < -90 || north > 90) {
      throw TaskFailure.permanent(
          "INVALID_BBOX", "bbox must be west < east and -90 <= south < north <= 90, got " + bbox);
    }
    ImageryScene scene = new ImageryScene();
    scene.sceneId = p.path("scene_id").asText();
    scene.sensor = p.path("sensor").asText();
    scene.acquiredAt = OffsetDateTime.parse(p.path("acquired_at").asText()).toInstant();
    scene.cloudCover = p.hasNonNull("cloud_cover") ? p.get("cloud_cover").asDouble() : null;
    scene.footprint = Wire.toJson(p.path("footprint"));
    scene.west = west;
    scene.south = south;
    scene.east = east;
    scene.north = north;
    scene.owner = context.owner();
    scene.jobId = context.jobId();
    scene.lineage = Wire.toJson(context.lineage());
    scene.recordedAt = Instant.now();
    context.step("record");
    outputs.store(context, session -> session.merge(scene).replaceWithVoid());
    ObjectNode result = Wire.mapper().createObjectNode();
    result.put("sceneId", scene.sceneId);
    result.put("sensor", scene.sensor);
    result.put("acquiredAt", scene.acquiredAt.toString());
    result.set("bbox", bbox.deepCopy());
    return result;
  }
}
