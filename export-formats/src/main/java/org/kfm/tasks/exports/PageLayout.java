package org.kfm.tasks.exports;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Flows content down A4 pages, starting a new page when the next block does not fit above the space
 * kept free for the footer.
 */
final class PageLayout implements AutoCloseable {
  static final PDRectangle PAGE = PDRectangle.A4;
  static final float MARGIN = 50;
  static final float CONTENT_WIDTH = PAGE.getWidth() - 2 * MARGIN;
  private static final float LEADING = 1.3f;

  private final PDDocument document;
  private final float bottom;
  private PDPageContentStream content;
  private float y;

  /**
   * @param footerHeight space to keep free above the bottom margin on every page
   */
  PageLayout(PDDocument document, float footerHeight) {
    this.document = document;
    this.bottom = MARGIN + footerHeight;
  }

  static float lineHeight(float size) {
    return size * LEADING;
  }

  void text(String text, PDFont font, float size) throws IOException {
    for (String line : PdfText.wrap(text, font, size, CONTENT_WIDTH)) {
      room(lineHeight(size));
      show(line, font, size, MARGIN, y - size);
      y -= lineHeight(size);
    }
  }

  /** A two-column row; both sides wrap inside their column and the row keeps to one page. */
  void labelValue(String label, String value, PDFont labelFont, PDFont valueFont, float size)
      throws IOException {
    float labelWidth = CONTENT_WIDTH * 0.35f;
    float gutter = 10;
    List<String> labels = PdfText.wrap(label, labelFont, size, labelWidth - gutter);
    List<String> values = PdfText.wrap(value, valueFont, size, CONTENT_WIDTH - labelWidth);
    int lines = Math.max(labels.size(), values.size());
    room(lines * lineHeight(size));
    for (int i = 0; i < lines; i++) {
      float baseline = y - size - i * lineHeight(size);
      if (i < labels.size()) {
        show(labels.get(i), labelFont, size, MARGIN, baseline);
      }
      if (i < values.size()) {
        show(values.get(i), valueFont, size, MARGIN + labelWidth, baseline);
      }
    }
    y -= lines * lineHeight(size);
  }

  void image(PDImageXObject image, float width, float height) throws IOException {
    room(height);
    content.drawImage(image, MARGIN, y - height, width, height);
    y -= height;
  }

  void gap(float points) {
    y -= points;
  }

  /** Starts a new page unless {@code height} still fits on this one. */
  void room(float height) throws IOException {
    if (content != null && y - height >= bottom) {
      return;
    }
    close();
    PDPage page = new PDPage(PAGE);
    document.addPage(page);
    content = new PDPageContentStream(document, page);
    y = PAGE.getHeight() - MARGIN;
  }

  private void show(String line, PDFont font, float size, float x, float baseline)
      throws IOException {
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, baseline);
    content.showText(line);
    content.endText();
  }

  @Override
  public void close() throws IOException {
    if (content != null) {
      content.close();
      content = null;
    }
  }
}
