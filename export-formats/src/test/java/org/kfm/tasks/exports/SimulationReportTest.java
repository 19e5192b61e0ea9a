package org.kfm.tasks.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class SimulationReportTest {

  private static byte[] pdf(SimulationReportData data) throws IOException {
    var out = new ByteArrayOutputStream();
    SimulationReport.write(data, out);
    return out.toByteArray();
  }

  private static String text(PDDocument document, int page) throws IOException {
    var stripper = new PDFTextStripper();
    stripper.setStartPage(page);
    stripper.setEndPage(page);
    // Footer lines may wrap anywhere between words; compare with whitespace collapsed.
    return stripper.getText(document).replaceAll("\\s+", " ");
  }

  @Test
  void showsTitleScenarioRunStatisticsAndLineage() throws IOException {
    SimulationReportData data = ReportFixtures.report();

    try (PDDocument document = Loader.loadPDF(pdf(data))) {
      String text = text(document, 1);

      assertThat(text)
          .contains(data.title())
          .contains(data.scenarioId())
          .contains(data.runJobId().toString())
          .contains("2026-11-28T10:15:30Z");
      data.parameters().forEach((k, v) -> assertThat(text).contains(k + " " + v));
      data.statistics()
          .forEach(
              (name, value) -> {
                String printed = SimulationReport.formatStatistic(value);
                assertThat(text).contains(name + " " + printed);
                // The format is a contract: readers parse it back to within its precision.
                assertThat(Double.parseDouble(printed)).isCloseTo(value, within(0.00005));
              });
      assertThat(text).contains("Lineage:");
      data.lineage().forEach((k, v) -> assertThat(text).contains(k + "=" + v));
    }
  }

  @Test
  void printsStatisticsWithFourDecimalsWhateverTheDefaultLocale() {
    Locale previous = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(SimulationReport.formatStatistic(1234567.891_23)).isEqualTo("1234567.8912");
      assertThat(SimulationReport.formatStatistic(0.9987)).isEqualTo("0.9987");
      assertThat(SimulationReport.formatStatistic(null)).isEqualTo("n/a");
    } finally {
      Locale.setDefault(previous);
    }
  }

  @Test
  void theSameDataGivesTheSameBytes() throws IOException {
    byte[] first = pdf(ReportFixtures.report());
    byte[] second = pdf(ReportFixtures.report());

    assertThat(second).isEqualTo(first);
  }

  @Test
  void differentDataGivesDifferentBytes() throws IOException {
    Map<String, Double> statistics = new LinkedHashMap<>(ReportFixtures.statistics());
    statistics.put("mean", 1_234_568.0);

    assertThat(pdf(ReportFixtures.report(statistics))).isNotEqualTo(pdf(ReportFixtures.report()));
  }

  @Test
  void isA4WithOneEmbeddedChartAndFixedMetadata() throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf(ReportFixtures.report()))) {
      int images = 0;
      for (PDPage page : document.getPages()) {
        assertThat(page.getMediaBox().getWidth()).isEqualTo(PDRectangle.A4.getWidth());
        assertThat(page.getMediaBox().getHeight()).isEqualTo(PDRectangle.A4.getHeight());
        for (COSName name : page.getResources().getXObjectNames()) {
          if (page.getResources().getXObject(name) instanceof PDImageXObject) {
            images++;
          }
        }
      }
      assertThat(images).isEqualTo(1);

      var info = document.getDocumentInformation();
      assertThat(info.getProducer()).isEqualTo(SimulationReport.PRODUCER);
      assertThat(info.getCreator()).isEqualTo(SimulationReport.CREATOR);
      assertThat(info.getCreationDate().toInstant()).isEqualTo(ReportFixtures.FINISHED);
      assertThat(info.getModificationDate().toInstant()).isEqualTo(ReportFixtures.FINISHED);
      COSArray id = document.getDocument().getDocumentID();
      COSArray expected = SimulationReport.documentId(ReportFixtures.RUN);
      assertThat(id.size()).isEqualTo(2);
      for (int i = 0; i < 2; i++) {
        assertThat(((COSString) id.get(i)).getBytes())
            .isEqualTo(((COSString) expected.get(i)).getBytes());
      }
    }
  }

  @Test
  void repeatsTheLineageFooterOnEveryPage() throws IOException {
    var parameters = new LinkedHashMap<>(ReportFixtures.parameters());
    for (int i = 0; i < 60; i++) {
      parameters.put("extra.parameter." + i, "value " + i);
    }
    var lineage = new LinkedHashMap<>(ReportFixtures.lineage());
    lineage.put("note", "a lineage long enough to wrap onto a second footer line ".repeat(4));
    var data =
        new SimulationReportData(
            "Many parameters",
            "scenario-many",
            ReportFixtures.RUN,
            ReportFixtures.FINISHED,
            parameters,
            ReportFixtures.statistics(),
            ReportFixtures.histogram(),
            lineage);

    try (PDDocument document = Loader.loadPDF(pdf(data))) {
      assertThat(document.getNumberOfPages()).isGreaterThan(1);
      for (int page = 1; page <= document.getNumberOfPages(); page++) {
        String text = text(document, page);
        assertThat(text)
            .contains("jobId=" + ReportFixtures.RUN)
            .contains("pipeline_run_id=run-7")
            .contains("Page " + page + " of " + document.getNumberOfPages());
      }
      assertThat(text(document, 1)).contains("extra.parameter.0 value 0");
    }
  }

  @Test
  void replacesCharactersTheStandardFontCannotShow() throws IOException {
    var data =
        new SimulationReportData(
            "Tsunami 🌊 in 東京",
            "scenario\twith\ncontrols",
            ReportFixtures.RUN,
            ReportFixtures.FINISHED,
            ReportFixtures.parameters(),
            ReportFixtures.statistics(),
            ReportFixtures.histogram(),
            ReportFixtures.lineage());

    try (PDDocument document = Loader.loadPDF(pdf(data))) {
      assertThat(text(document, 1)).contains("Tsunami ? in ??").contains("scenario with controls");
    }
  }

  @Test
  void rendersTheSameChartPixelsTwice() {
    BufferedImage first = HistogramChart.render(ReportFixtures.histogram(), 400, 200, 2);
    BufferedImage second = HistogramChart.render(ReportFixtures.histogram(), 400, 200, 2);

    assertThat(second.getWidth()).isEqualTo(800);
    assertThat(second.getRGB(0, 0, 800, 400, null, 0, 800))
        .isEqualTo(first.getRGB(0, 0, 800, 400, null, 0, 800));
  }
}
