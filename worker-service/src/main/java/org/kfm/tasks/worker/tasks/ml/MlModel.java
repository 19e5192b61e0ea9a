package org.kfm.tasks.worker.tasks.ml;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A trained model version in the registry: the {@code ml_models} row, one per retrain job, so a
 * re-run of the job replaces its row instead of adding a version.
 */
@Entity
@Table(name = "ml_models")
public class MlModel extends PanacheEntityBase {
  @Id
  @Column(name = "job_id")
  public UUID jobId;

  public String owner;

  public String name;

  public int version;

  public String target;

  public String algorithm;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "features::text", write = "?::text::jsonb")
  public String features;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "hyperparameters::text", write = "?::text::jsonb")
  public String hyperparameters;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "metrics::text", write = "?::text::jsonb")
  public String metrics;

  @Column(name = "dataset_version")
  public String datasetVersion;

  @Column(name = "artifact_key")
  public String artifactKey;

  @Column(name = "artifact_size")
  public long artifactSize;

  public String sha256;

  public boolean promoted;

  @Column(name = "promotion_reason")
  public String promotionReason;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;

  @Column(name = "created_at")
  public Instant createdAt;
}
