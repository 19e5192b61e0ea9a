package org.kfm.tasks.exports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.font.PDFont;

/** Text measuring and line breaking for the standard 14 fonts. */
final class PdfText {
  private PdfText() {}

  /**
   * Replaces what the font cannot show. The standard 14 fonts only know WinAnsi, and one stray
   * character (say an emoji in a scenario name) must not fail the whole report.
   */
  static String printable(String text, PDFont font) {
    var out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                out.append(' ');
              } else if (canShow(font, cp)) {
                out.appendCodePoint(cp);
              } else {
                out.append('?');
              }
            });
    return out.toString();
  }

  private static boolean canShow(PDFont font, int codePoint) {
    try {
      font.encode(new String(Character.toChars(codePoint)));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float width(String text, PDFont font, float size) {
    try {
      return font.getStringWidth(text) / 1000f * size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Greedy wrap at spaces; a word wider than the line is cut where it overflows. */
  static List<String> wrap(String text, PDFont font, float size, float maxWidth) {
    String clean = printable(text, font);
    List<String> lines = new ArrayList<>();
    var line = new StringBuilder();
    for (String word : clean.split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (width(candidate, font, size) <= maxWidth) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
        line.setLength(0);
      }
      String rest = word;
      while (width(rest, font, size) > maxWidth && rest.length() > 1) {
        int cut = fittingPrefix(rest, font, size, maxWidth);
        lines.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
      line.append(rest);
    }
    if (!line.isEmpty() || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static int fittingPrefix(String word, PDFont font, float size, float maxWidth) {
    int cut = 1;
    while (cut < word.length() && width(word.substring(0, cut + 1), font, size) <= maxWidth) {
      cut++;
    }
    return cut;
  }
}
