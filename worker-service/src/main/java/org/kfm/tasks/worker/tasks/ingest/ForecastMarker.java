package org.kfm.tasks.worker.tasks.ingest;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * What the last stored forecast of a grid cell was ({@code forecast_markers}): its upstream update
 * time and ETag, so the next pull asks only for something newer.
 */
@Entity
@Table(name = "forecast_markers")
public class ForecastMarker extends PanacheEntityBase {
  @EmbeddedId public GridCell id;

  @Column(name = "upstream_updated")
  public Instant upstreamUpdated;

  public String etag;

  public String url;

  /** The cell's polygon, GeoJSON, as sent. */
  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "geometry::text", write = "?::text::jsonb")
  public String geometry;

  public int periods;

  @Column(name = "stored_at")
  public Instant storedAt;

  @Column(name = "job_id")
  public UUID jobId;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;
}
