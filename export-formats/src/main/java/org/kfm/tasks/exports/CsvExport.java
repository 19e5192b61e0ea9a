package org.kfm.tasks.exports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, UTF-8 without a byte order mark.
 *
 * <p>Rows are printed as they are pulled from the iterator, so an export of any size needs only one
 * row in memory. Location is not a CSV column; callers that want it add lon/lat columns.
 */
public final class CsvExport {
  private CsvExport() {}

  /**
   * Writes the header and every row, then flushes. The stream stays open: its owner decides when
   * the artifact is complete.
   *
   * @return the number of data rows written
   */
  public static long write(List<String> columns, Iterator<ExportRow> rows, OutputStream out)
      throws IOException {
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader(columns.toArray(String[]::new)).get();
    var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    // Not try-with-resources: closing the printer would close the caller's stream.
    var printer = new CSVPrinter(writer, format);
    List<String> cells = new ArrayList<>(columns.size());
    long count = 0;
    while (rows.hasNext()) {
      ExportRow row = rows.next();
      count++;
      Rows.checkWidth(row, columns.size(), count);
      cells.clear();
      for (Object value : row.values()) {
        cells.add(CellValues.text(value));
      }
      printer.printRecord(cells);
    }
    printer.flush();
    return count;
  }
}
