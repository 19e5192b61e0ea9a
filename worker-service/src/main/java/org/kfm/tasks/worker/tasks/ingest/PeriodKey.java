package org.kfm.tasks.worker.tasks.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A forecast period's key: its grid cell and when it starts. */
@Embeddable
public class PeriodKey implements Serializable {
  public String office;

  @Column(name = "grid_x")
  public int gridX;

  @Column(name = "grid_y")
  public int gridY;

  @Column(name = "start_time")
  public Instant startTime;

  public PeriodKey() {}

  public PeriodKey(GridCell cell, Instant startTime) {
    this.office = cell.office;
    this.gridX = cell.gridX;
    this.gridY = cell.gridY;
    this.startTime = startTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeriodKey other
        && gridX == other.gridX
        && gridY == other.gridY
        && Objects.equals(office, other.office)
        && Objects.equals(startTime, other.startTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(office, gridX, gridY, startTime);
  }
}
