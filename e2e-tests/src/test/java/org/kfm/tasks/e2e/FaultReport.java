package org.kfm.tasks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fault matrix: what each fault test submitted and how it ended. */
final class FaultReport {
  record Row(
      String fault,
      int submitted,
      int succeeded,
      int failedAsIntended,
      int lost,
      int twice,
      String note) {}

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
    System.out.printf(
        "FAULT %-34s submitted=%d succeeded=%d failed-as-intended=%d lost=%d ran-twice-visibly=%d %s%n",
        row.fault(),
        row.submitted(),
        row.succeeded(),
        row.failedAsIntended(),
        row.lost(),
        row.twice(),
        row.note());
  }

  synchronized void write(Path file) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| fault | submitted | succeeded | failed as intended | lost | ran twice visibly | note |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              "| %s | %d | %d | %d | %d | %d | %s |%n",
              r.fault(),
              r.submitted(),
              r.succeeded(),
              r.failedAsIntended(),
              r.lost(),
              r.twice(),
              r.note()));
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
