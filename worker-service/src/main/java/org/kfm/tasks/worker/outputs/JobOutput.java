package org.kfm.tasks.worker.outputs;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * The record that a job's outputs are stored, written in the same transaction as the outputs: which
 * attempt stored them and with what lineage. A re-run of the job replaces it with its outputs.
 */
@Entity
@Table(name = "job_outputs")
public class JobOutput extends PanacheEntityBase {
  @Id
  @Column(name = "job_id")
  public UUID jobId;

  public String task;

  public int attempt;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;

  @Column(name = "stored_at")
  public Instant storedAt;
}
