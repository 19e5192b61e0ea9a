package org.kfm.tasks.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvExportTest {
  static final List<String> COLUMNS =
      List.of("job_id", "scenario", "mean_loss", "runs", "converged", "finished_at", "note");

  static List<ExportRow> rows() {
    return List.of(
        ExportRow.unlocated(
            Arrays.asList(
                "0b6f9a52-8d7e-4f3c-9a51-2f0e7c1d4b11",
                "coastal, north",
                1234.5,
                100_000L,
                true,
                Instant.parse("2026-11-28T10:15:30Z"),
                "analyst said \"looks fine\"")),
        ExportRow.unlocated(
            Arrays.asList(
                "5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e",
                "Zürich – Δ 東京 🌊",
                0.1,
                5,
                false,
                Instant.parse("2026-11-28T10:15:30.123456789Z"),
                "line one\nline two\r\nline three")),
        ExportRow.unlocated(Arrays.asList("", null, null, null, null, null, null)),
        ExportRow.unlocated(
            Arrays.asList(
                "7d2e0c41-0000-4000-8000-000000000004",
                "inland",
                12.0,
                new BigDecimal("1E+3"),
                null,
                OffsetDateTime.parse("2026-11-28T12:15:30+02:00"),
                "")));
  }

  @Test
  void matchesItsGoldenFileByteForByte() throws IOException {
    var out = new ByteArrayOutputStream();

    long count = CsvExport.write(COLUMNS, rows().iterator(), out);

    assertThat(count).isEqualTo(4);
    assertThat(out.toByteArray())
        .as(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(Golden.bytes("simulation-runs.csv"));
  }

  @Test
  void hasNoByteOrderMarkAndEndsRecordsWithCrlf() throws IOException {
    var out = new ByteArrayOutputStream();

    CsvExport.write(COLUMNS, rows().iterator(), out);

    byte[] bytes = out.toByteArray();
    assertThat(bytes[0]).isEqualTo((byte) 'j');
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .startsWith(String.join(",", COLUMNS) + "\r\n")
        .endsWith("\r\n");
  }

  @Test
  void writesOnlyTheHeaderForNoRows() throws IOException {
    var out = new ByteArrayOutputStream();

    long count = CsvExport.write(List.of("a", "b"), List.<ExportRow>of().iterator(), out);

    assertThat(count).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a,b\r\n");
  }

  @Test
  void rejectsARowWithTheWrongNumberOfValuesNamingIt() {
    var rows = List.of(ExportRow.unlocated(List.of("x", 1)), ExportRow.unlocated(List.of("y")));

    assertThatThrownBy(
            () -> CsvExport.write(List.of("a", "b"), rows.iterator(), new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 2");
  }

  @Test
  void rejectsValuesOfUnknownTypes() {
    var rows = List.of(ExportRow.unlocated(List.of(new Object())));

    assertThatThrownBy(
            () -> CsvExport.write(List.of("a"), rows.iterator(), new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported value type");
  }
}
