package org.kfm.tasks.worker.tasks.imagery;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One imagery scene of the catalogue: the {@code imagery_scenes} row. */
@Entity
@Table(name = "imagery_scenes")
public class ImageryScene extends PanacheEntityBase {
  @Id
  @Column(name = "scene_id")
  public String sceneId;

  public String sensor;

  @Column(name = "acquired_at")
  public Instant acquiredAt;

  @Column(name = "cloud_cover")
  public Double cloudCover;

  /** The GeoJSON polygon as the event gave it. */
  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "footprint::text", write = "?::text::jsonb")
  public String footprint;

  public double west;
  public double south;
  public double east;
  public double north;

  public String owner;

  @Column(name = "job_id")
  public UUID jobId;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;

  @Column(name = "recorded_at")
  public Instant recordedAt;
}
