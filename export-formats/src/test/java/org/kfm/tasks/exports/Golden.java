package org.kfm.tasks.exports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads golden files from test resources. */
final class Golden {
  private Golden() {}

  static byte[] bytes(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no golden file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
