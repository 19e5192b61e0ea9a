package org.kfm.tasks.worker.tasks.analysis;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One simulation job's inputs, summary statistics and lineage: the {@code simulation_runs} row. */
@Entity
@Table(name = "simulation_runs")
public class SimulationRun extends PanacheEntityBase {
  @Id
  @Column(name = "job_id")
  public UUID jobId;

  /** Who submitted the simulation; reports and exports see only their owner's runs. */
  public String owner;

  @Column(name = "scenario_id")
  public String scenarioId;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "params::text", write = "?::text::jsonb")
  public String params;

  /** Unsigned 64-bit, as text: the result shows it the same way. */
  public String seed;

  public int runs;

  @Column(name = "horizon_years")
  public int horizonYears;

  public double mean;

  @Column(name = "std_dev")
  public double stdDev;

  @Column(name = "min_loss")
  public double minLoss;

  @Column(name = "max_loss")
  public double maxLoss;

  public double p5;
  public double p50;
  public double p95;
  public double p99;

  @Column(name = "probability_of_loss")
  public double probabilityOfLoss;

  /** {@code [{"from", "to", "count"}]}, the bins of the result. */
  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "histogram::text", write = "?::text::jsonb")
  public String histogram;

  @Column(name = "site_lon")
  public Double siteLon;

  @Column(name = "site_lat")
  public Double siteLat;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(read = "lineage::text", write = "?::text::jsonb")
  public String lineage;

  @Column(name = "finished_at")
  public Instant finishedAt;
}
