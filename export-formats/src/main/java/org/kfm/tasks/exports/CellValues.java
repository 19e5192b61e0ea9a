package org.kfm.tasks.exports;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** The one place that decides how a cell value looks, so CSV and GeoJSON never disagree. */
final class CellValues {
  private CellValues() {}

  /** Text for CSV and for string-typed JSON members; null stays null. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof BigDecimal d) {
      // toString would switch to exponent notation ("1E+3"), which spreadsheets misread.
      return d.toPlainString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Instant i) {
      return DateTimeFormatter.ISO_INSTANT.format(i);
    }
    if (value instanceof OffsetDateTime t) {
      // Normalised to UTC so that one column never mixes offsets and sorts as text.
      return DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
    }
    throw new IllegalArgumentException("unsupported value type " + value.getClass().getName());
  }

  /** Writes a value as the JSON type a reader would expect: numbers stay numbers. */
  static void writeJson(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      // JSON has no NaN or Infinity; null is the only value every reader accepts.
      if (!Double.isFinite(((Number) value).doubleValue())) {
        json.writeNull();
      } else if (value instanceof Float f) {
        // Widening first would print 0.1f as 0.10000000149011612.
        json.writeNumber(f);
      } else {
        json.writeNumber((Double) value);
      }
    } else if (value instanceof BigDecimal d) {
      json.writeNumber(d);
    } else if (value instanceof BigInteger i) {
      json.writeNumber(i);
    } else if (value instanceof Number n) {
      json.writeNumber(n.toString());
    } else {
      json.writeString(text(value));
    }
  }
}
