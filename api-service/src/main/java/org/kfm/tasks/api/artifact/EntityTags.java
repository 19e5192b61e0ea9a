package org.kfm.tasks.api.artifact;

/**
 * An artifact's entity tag is its SHA-256 in quotes: the same bytes always have the same tag, and a
 * re-run that writes other bytes changes it.
 */
public final class EntityTags {
  private EntityTags() {}

  public static String of(String sha256) {
    return "\"" + sha256 + "\"";
  }

  /**
   * Whether {@code If-None-Match} names this tag (or {@code *}); weak tags compare by their value,
   * as the RFC asks for this header.
   */
  public static boolean noneMatchHits(String ifNoneMatch, String tag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String value = candidate.strip();
      if (value.equals("*")) {
        return true;
      }
      if (value.startsWith("W/")) {
        value = value.substring(2);
      }
      if (value.equals(tag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a range may be served: without {@code If-Range}, or when it names this very tag (a date
   * or another tag means the client's part is stale, and it gets the whole file).
   */
  static boolean rangeApplies(String ifRange, String tag) {
    return ifRange == null || ifRange.strip().equals(tag);
  }
}
