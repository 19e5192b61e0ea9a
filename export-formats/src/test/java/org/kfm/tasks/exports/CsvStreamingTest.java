package org.kfm.tasks.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * A million rows go through while the heap stays flat. Only a smoke test: the bounded-heap proof
 * for whole export jobs runs elsewhere, under a small -Xmx.
 */
class CsvStreamingTest {
  private static final int ROWS = 1_000_000;
  // Holding a million rows would retain hundreds of MB; buffers and the JIT need far less.
  private static final long RETAINED_LIMIT = 32L * 1024 * 1024;

  @Test
  void exportsAMillionGeneratedRowsWithoutHoldingThem() throws IOException {
    long before = usedHeapAfterGc();
    var rows = new GeneratedRows(ROWS);
    var out = new CountingOutputStream();

    long count = CsvExport.write(List.of("id", "name", "loss", "at"), rows, out);

    assertThat(count).isEqualTo(ROWS);
    assertThat(out.count).isGreaterThan(ROWS * 30L);
    assertThat(rows.usedHeapNearTheEnd - before)
        .as("heap retained while the export was at row %d", ROWS)
        .isLessThan(RETAINED_LIMIT);
  }

  static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Makes rows on demand, and measures the heap just before handing out the last one. */
  static final class GeneratedRows implements Iterator<ExportRow> {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final int total;
    private int next;
    long usedHeapNearTheEnd;

    GeneratedRows(int total) {
      this.total = total;
    }

    @Override
    public boolean hasNext() {
      return next < total;
    }

    @Override
    public ExportRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (next == total - 1) {
        usedHeapNearTheEnd = usedHeapAfterGc();
      }
      int i = next++;
      return ExportRow.unlocated(
          List.of((long) i, "scenario-" + (i % 97), i * 1.5, START.plusSeconds(i)));
    }
  }

  /** Discards bytes, counting them. */
  static final class CountingOutputStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
