package org.kfm.tasks.exports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One exported record: its values in column order, and where it is.
 *
 * <p>Values may be String, Number, Boolean, {@link java.time.Instant}, {@link
 * java.time.OffsetDateTime} or null. The location is WGS 84 longitude/latitude in degrees, or both
 * null for a record that has no place; half a location is a bug upstream, so it is refused here.
 */
public record ExportRow(List<Object> values, Double lon, Double lat) {

  public ExportRow {
    if (values == null) {
      throw new IllegalArgumentException("values must not be null");
    }
    if ((lon == null) != (lat == null)) {
      throw new IllegalArgumentException("lon and lat must both be set or both be null");
    }
    // List.copyOf would reject the null values that stand for empty cells.
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  public static ExportRow unlocated(List<Object> values) {
    return new ExportRow(values, null, null);
  }

  public boolean located() {
    return lon != null;
  }
}
