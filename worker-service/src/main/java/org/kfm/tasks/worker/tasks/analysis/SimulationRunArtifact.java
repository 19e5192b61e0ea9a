package org.kfm.tasks.worker.tasks.analysis;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A file made from a simulation run (its report), with the job that made it and that job's lineage:
 * the {@code simulation_run_artifacts} row, one per run and name.
 */
@Entity
@Table(name = "simulation_run_artifacts")
public class SimulationRunArtifact extends PanacheEntityBase {
  @EmbeddedId public Key id;

  @Column(name = "job_id")
  public UUID jobId;

  @Column(name = "content_type")
  public String contentType;

  public long size;

  public String sha256;

  @Column(name = "storage_key")
  public String storageKey;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;

  /** Run and artifact name. */
  @Embeddable
  public static class Key implements Serializable {
    @Column(name = "run_job_id")
    public UUID runJobId;

    public String name;

    public Key() {}

    public Key(UUID runJobId, String name) {
      this.runJobId = runJobId;
      this.name = name;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(runJobId, key.runJobId)
          && Objects.equals(name, key.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(runJobId, name);
    }
  }
}
