package org.kfm.tasks.worker.tasks.exports;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.kfm.tasks.exports.ExportRow;

/**
 * A result set read one row at a time as export rows: with a cursor (fetch size) underneath, only
 * one fetch of rows is in memory however many the query matches. Geometry columns become the row's
 * point for GeoJSON and stay ordinary values for CSV.
 */
final class ResultSetRows implements Iterator<ExportRow> {
  private final ResultSet rows;
  private final Dataset dataset;
  private final boolean geometryAsPoint;
  private final LongConsumer onRow;
  private final Runnable checkStop;
  private Boolean hasNext;
  private long read;

  ResultSetRows(
      ResultSet rows,
      Dataset dataset,
      boolean geometryAsPoint,
      LongConsumer onRow,
      Runnable checkStop) {
    this.rows = rows;
    this.dataset = dataset;
    this.geometryAsPoint = geometryAsPoint;
    this.onRow = onRow;
    this.checkStop = checkStop;
  }

  /** The columns as written: without the geometry columns when they become the point. */
  static List<String> columns(Dataset dataset, boolean geometryAsPoint) {
    if (!geometryAsPoint) {
      return dataset.columns();
    }
    return dataset.columns().stream()
        .filter(c -> !c.equals(dataset.lonColumn()) && !c.equals(dataset.latColumn()))
        .toList();
  }

  @Override
  public boolean hasNext() {
    if (hasNext == null) {
      try {
        hasNext = rows.next();
      } catch (SQLException e) {
        throw new IllegalStateException("reading " + dataset.name() + " failed", e);
      }
    }
    return hasNext;
  }

  @Override
  public ExportRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    hasNext = null;
    if (++read % 1000 == 0) {
      checkStop.run();
      onRow.accept(read);
    }
    try {
      List<Object> values = new ArrayList<>(dataset.columns().size());
      Double lon = null;
      Double lat = null;
      for (int i = 0; i < dataset.columns().size(); i++) {
        String column = dataset.columns().get(i);
        Object value = rows.getObject(i + 1);
        if (value instanceof Timestamp timestamp) {
          value = timestamp.toInstant();
        } else if (value instanceof UUID id) {
          value = id.toString();
        }
        if (geometryAsPoint && column.equals(dataset.lonColumn())) {
          lon = (Double) value;
        } else if (geometryAsPoint && column.equals(dataset.latColumn())) {
          lat = (Double) value;
        } else {
          values.add(value);
        }
      }
      return new ExportRow(values, lon, lat);
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + dataset.name() + " failed", e);
    }
  }

  long read() {
    return read;
  }
}
