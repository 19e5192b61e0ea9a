package org.kfm.tasks.worker.tasks.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;

/** One cell of an NWS office's forecast grid: the key of a forecast marker. */
@Embeddable
public class GridCell implements Serializable {
  public String office;

  @Column(name = "grid_x")
  public int gridX;

  @Column(name = "grid_y")
  public int gridY;

  public GridCell() {}

  public GridCell(String office, int gridX, int gridY) {
    this.office = office;
    this.gridX = gridX;
    this.gridY = gridY;
  }

  /** The path below the API root, e.g. {@code gridpoints/TOP/31,80/forecast}. */
  String forecastPath() {
    return "gridpoints/" + office + "/" + gridX + "," + gridY + "/forecast";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GridCell other
        && gridX == other.gridX
        && gridY == other.gridY
        && Objects.equals(office, other.office);
  }

  @Override
  public int hashCode() {
    return Objects.hash(office, gridX, gridY);
  }

  @Override
  public String toString() {
    return office + "/" + gridX + "," + gridY;
  }
}
