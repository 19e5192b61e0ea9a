package org.kfm.tasks.exports;

/** Checks shared by the row-based formats; row numbers are 1-based, as a person counts them. */
final class Rows {
  private Rows() {}

  static void checkWidth(ExportRow row, int columns, long rowNumber) {
    if (row.values().size() != columns) {
      throw new IllegalArgumentException(
          "row "
              + rowNumber
              + " has "
              + row.values().size()
              + " values for "
              + columns
              + " columns");
    }
  }
}
