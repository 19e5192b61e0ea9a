package org.kfm.tasks.exports;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * The lineage in small print at the foot of every page, so a single page that gets separated from
 * the report still says which job produced it.
 */
final class LineageFooter {
  private static final float SIZE = 7;

  private final PDFont font;
  private final List<String> lines;

  LineageFooter(Map<String, String> lineage, PDFont font) {
    this.font = font;
    String text =
        lineage.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; ", "Lineage: ", ""));
    this.lines = PdfText.wrap(text, font, SIZE, PageLayout.CONTENT_WIDTH);
  }

  /** Height to keep free on every page: the lineage, the page number line and a gap above. */
  float height() {
    return (lines.size() + 1) * PageLayout.lineHeight(SIZE) + 12;
  }

  /** Stamps all pages; runs last because "page i of n" needs n. */
  void stamp(PDDocument document) throws IOException {
    int pages = document.getNumberOfPages();
    for (int i = 0; i < pages; i++) {
      PDPage page = document.getPage(i);
      try (var content =
          new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND, true)) {
        float y = PageLayout.MARGIN + height() - 12;
        content.setLineWidth(0.5f);
        content.moveTo(PageLayout.MARGIN, y + 4);
        content.lineTo(PageLayout.MARGIN + PageLayout.CONTENT_WIDTH, y + 4);
        content.stroke();
        for (String line : lines) {
          y -= PageLayout.lineHeight(SIZE);
          show(content, line, y);
        }
        show(content, "Page " + (i + 1) + " of " + pages, y - PageLayout.lineHeight(SIZE));
      }
    }
  }

  private void show(PDPageContentStream content, String text, float baseline) throws IOException {
    content.beginText();
    content.setFont(font, SIZE);
    content.newLineAtOffset(PageLayout.MARGIN, baseline);
    content.showText(text);
    content.endText();
  }
}
