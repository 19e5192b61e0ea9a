package org.kfm.tasks.exports;

import java.awt.image.BufferedImage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;

/**
 * A PDF report of one simulation run: parameters, statistics, the loss histogram and, on every
 * page, the lineage.
 *
 * <p>The same data gives the same bytes (on the same fonts and library versions), so a re-run can
 * be compared by checksum and an artifact store can deduplicate. Therefore nothing here reads the
 * clock: the dates are the run's finish time and the file ID comes from the run's job id.
 */
public final class SimulationReport {
  /**
   * How statistics are printed: four decimals, '.' as separator, no grouping, whatever the default
   * locale; {@link Double#parseDouble} reads it back.
   */
  public static final String STATISTIC_FORMAT = "%.4f";

  static final String PRODUCER = "KFM Tasks export-formats";
  static final String CREATOR = "KFM Tasks simulation report";
  private static final int CHART_WIDTH = (int) PageLayout.CONTENT_WIDTH;
  private static final int CHART_HEIGHT = 280;
  private static final int CHART_SCALE = 2;

  private SimulationReport() {}

  /** Formats one statistic as the report prints it; null (not computed) prints as "n/a". */
  public static String formatStatistic(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, STATISTIC_FORMAT, value);
  }

  /** Writes the PDF; the stream stays open. */
  public static void write(SimulationReportData data, OutputStream out) throws IOException {
    try (var document = new PDDocument()) {
      PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      var footer = new LineageFooter(data.lineage(), regular);
      try (var page = new PageLayout(document, footer.height())) {
        body(data, document, page, regular, bold);
      }
      footer.stamp(document);
      describe(document, data);
      // PDFBox closes the stream it saves to; the caller owns ours.
      document.save(new KeepOpen(out));
    }
    out.flush();
  }

  private static void body(
      SimulationReportData data, PDDocument document, PageLayout page, PDFont regular, PDFont bold)
      throws IOException {
    page.text(data.title(), bold, 18);
    page.gap(4);
    page.text("Scenario: " + data.scenarioId(), regular, 10);
    page.text("Run: " + data.runJobId(), regular, 10);
    page.text(
        "Finished: " + DateTimeFormatter.ISO_INSTANT.format(data.runFinishedAt()), regular, 10);

    heading(page, "Parameters", bold);
    for (Map.Entry<String, String> p : data.parameters().entrySet()) {
      page.labelValue(p.getKey(), String.valueOf(p.getValue()), bold, regular, 10);
    }

    heading(page, "Statistics", bold);
    for (Map.Entry<String, Double> s : data.statistics().entrySet()) {
      page.labelValue(s.getKey(), formatStatistic(s.getValue()), bold, regular, 10);
    }

    BufferedImage chart =
        HistogramChart.render(data.histogram(), CHART_WIDTH, CHART_HEIGHT, CHART_SCALE);
    // Keep the heading with its chart rather than orphaned at the bottom of a page.
    page.room(18 + PageLayout.lineHeight(12) + CHART_HEIGHT);
    heading(page, "Loss distribution", bold);
    page.image(LosslessFactory.createFromImage(document, chart), CHART_WIDTH, CHART_HEIGHT);
  }

  private static void heading(PageLayout page, String text, PDFont bold) throws IOException {
    // A heading never ends a page: keep room for it and the first line under it.
    page.room(14 + PageLayout.lineHeight(12) + 4 + PageLayout.lineHeight(10));
    page.gap(14);
    page.text(text, bold, 12);
    page.gap(4);
  }

  private static void describe(PDDocument document, SimulationReportData data) {
    PDDocumentInformation info = document.getDocumentInformation();
    info.setTitle(data.title());
    info.setSubject("Simulation run " + data.runJobId() + " of scenario " + data.scenarioId());
    info.setProducer(PRODUCER);
    info.setCreator(CREATOR);
    Calendar finished = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    finished.setTimeInMillis(data.runFinishedAt().toEpochMilli());
    info.setCreationDate(finished);
    info.setModificationDate(finished);
    // Without an ID PDFBox derives one from the current time, and the bytes would differ.
    document.getDocument().setDocumentID(documentId(data.runJobId()));
  }

  /**
   * The trailer ID pair: the run's job id as the permanent half, and a hash of it as the changing
   * half (the report is never updated in place, so it only has to be fixed).
   */
  static COSArray documentId(UUID runJobId) {
    byte[] permanent =
        ByteBuffer.allocate(16)
            .putLong(runJobId.getMostSignificantBits())
            .putLong(runJobId.getLeastSignificantBits())
            .array();
    byte[] changing = Arrays.copyOf(sha256("kfm-simulation-report:" + runJobId), 16);
    var id = new COSArray();
    id.add(hex(permanent));
    id.add(hex(changing));
    return id;
  }

  private static COSString hex(byte[] bytes) {
    var s = new COSString(bytes);
    s.setForceHexForm(true);
    return s;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Passes writes through but ignores close. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
