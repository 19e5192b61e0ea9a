package org.kfm.tasks.api.artifact;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header asks of a file of {@code total} bytes (RFC 9110, section 14): one
 * range {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. A header this does not read
 * (another unit, a malformed or reversed range) is ignored, as the RFC allows, and so are several
 * ranges: the whole file is cheaper to send than a multipart answer and every client takes it.
 */
sealed interface ByteRange {
  /** Send the whole file (200). */
  record Whole() implements ByteRange {}

  /** Send bytes {@code first} to {@code last}, both included (206). */
  record Part(long first, long last) implements ByteRange {
    long length() {
      return last - first + 1;
    }

    String contentRange(long total) {
      return "bytes " + first + "-" + last + "/" + total;
    }
  }

  /** No byte of the file is in the range (416). */
  record Unsatisfiable() implements ByteRange {
    static String contentRange(long total) {
      return "bytes */" + total;
    }
  }

  // At most 18 digits: every such number fits a long.
  Pattern ONE_RANGE = Pattern.compile("(\\d{1,18})?-(\\d{1,18})?");

  static ByteRange of(String header, long total) {
    if (header == null) {
      return new Whole();
    }
    String value = header.strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      return new Whole();
    }
    String spec = value.substring("bytes=".length()).strip();
    Matcher m = ONE_RANGE.matcher(spec);
    if (spec.contains(",") || !m.matches() || (m.group(1) == null && m.group(2) == null)) {
      return new Whole();
    }
    if (m.group(1) == null) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || total == 0) {
        return new Unsatisfiable();
      }
      return new Part(Math.max(0, total - suffix), total - 1);
    }
    long first = Long.parseLong(m.group(1));
    Long last = m.group(2) == null ? null : Long.parseLong(m.group(2));
    if (last != null && last < first) {
      return new Whole();
    }
    if (first >= total) {
      return new Unsatisfiable();
    }
    return new Part(first, last == null ? total - 1 : Math.min(last, total - 1));
  }
}
