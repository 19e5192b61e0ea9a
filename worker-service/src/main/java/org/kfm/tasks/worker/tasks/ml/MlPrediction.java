package org.kfm.tasks.worker.tasks.ml;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One model version's prediction for one simulation run: the {@code ml_predictions} row. */
@Entity
@Table(name = "ml_predictions")
public class MlPrediction extends PanacheEntityBase {
  @EmbeddedId public Key id;

  public String target;

  public double predicted;

  public Double actual;

  /** The inference job that wrote the row last. */
  @Column(name = "job_id")
  public UUID jobId;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;

  @Column(name = "predicted_at")
  public Instant predictedAt;

  /** Owner, model name and version, and the run scored. */
  @Embeddable
  public static class Key implements Serializable {
    public String owner;

    @Column(name = "model_name")
    public String modelName;

    @Column(name = "model_version")
    public int modelVersion;

    @Column(name = "run_job_id")
    public UUID runJobId;

    public Key() {}

    public Key(String owner, String modelName, int modelVersion, UUID runJobId) {
      this.owner = owner;
      this.modelName = modelName;
      this.modelVersion = modelVersion;
      this.runJobId = runJobId;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && modelVersion == key.modelVersion
          && Objects.equals(owner, key.owner)
          && Objects.equals(modelName, key.modelName)
          && Objects.equals(runJobId, key.runJobId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, modelName, modelVersion, runJobId);
    }
  }
}
