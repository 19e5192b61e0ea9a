package org.kfm.tasks.artifacts;

/**
 * The keys both stores accept: relative, '/'-separated names, none empty or starting with '.'.
 * Refusing '.'-led segments rules out {@code .} and {@code ..} (so a key cannot climb out of the
 * filesystem store's root) and keeps the filesystem store's temporary files unaddressable.
 */
final class StoreKeys {
  private StoreKeys() {}

  static String requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("artifact key must not be empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\' || Character.isISOControl(c)) {
        throw invalid(key);
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        throw invalid(key);
      }
    }
    return key;
  }

  /** A prefix is a key, or a key followed by '/'; never empty, so no call can wipe a store. */
  static String requirePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("artifact key prefix must not be empty");
    }
    requireKey(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }

  private static IllegalArgumentException invalid(String key) {
    return new IllegalArgumentException(
        "artifact key '"
            + key.replaceAll("\\p{Cntrl}", "?")
            + "' must be relative '/'-separated names, none empty or starting with '.', without"
            + " backslashes or control characters");
  }
}
