package org.kfm.tasks.exports;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;

/**
 * An RFC 7946 FeatureCollection, one Point feature per row (geometry null when the row has no
 * place). Written token by token so the collection can be any size.
 *
 * <p>No {@code crs} member: RFC 7946 fixed the CRS to WGS 84 and dropped it.
 */
public final class GeoJsonExport {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          // A failed export must not be closed into valid-looking, truncated JSON.
          .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
          .build();

  private GeoJsonExport() {}

  /**
   * Writes the collection and flushes; the stream stays open. A first column named {@code id} or
   * {@code job_id} also becomes each feature's {@code id}.
   *
   * @return the number of features written
   * @throws IllegalArgumentException naming the 1-based row whose coordinates are out of range
   */
  public static long write(List<String> columns, Iterator<ExportRow> rows, OutputStream out)
      throws IOException {
    boolean firstColumnIsId =
        !columns.isEmpty() && (columns.get(0).equals("id") || columns.get(0).equals("job_id"));
    long count = 0;
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("type", "FeatureCollection");
      json.writeArrayFieldStart("features");
      while (rows.hasNext()) {
        ExportRow row = rows.next();
        count++;
        Rows.checkWidth(row, columns.size(), count);
        writeFeature(json, columns, row, firstColumnIsId, count);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.flush();
    return count;
  }

  private static void writeFeature(
      JsonGenerator json, List<String> columns, ExportRow row, boolean firstColumnIsId, long number)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "Feature");
    Object id = firstColumnIsId ? row.values().get(0) : null;
    if (id != null) {
      json.writeFieldName("id");
      // RFC 7946 allows only a string or a number here.
      if (id instanceof Number) {
        CellValues.writeJson(json, id);
      } else {
        json.writeString(CellValues.text(id));
      }
    }
    json.writeFieldName("geometry");
    if (row.located()) {
      checkCoordinates(row.lon(), row.lat(), number);
      json.writeStartObject();
      json.writeStringField("type", "Point");
      json.writeArrayFieldStart("coordinates");
      json.writeNumber(row.lon());
      json.writeNumber(row.lat());
      json.writeEndArray();
      json.writeEndObject();
    } else {
      json.writeNull();
    }
    json.writeObjectFieldStart("properties");
    for (int i = 0; i < columns.size(); i++) {
      json.writeFieldName(columns.get(i));
      CellValues.writeJson(json, row.values().get(i));
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void checkCoordinates(double lon, double lat, long rowNumber) {
    // NaN fails every comparison, so it lands here too.
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException(
          "row " + rowNumber + " has coordinates out of range: lon=" + lon + ", lat=" + lat);
    }
  }
}
