package org.kfm.tasks.contracts;

import java.io.IOException;
import java.io.OutputStream;

/** Writes an artifact's bytes; the worker decides where they go and makes the write atomic. */
@FunctionalInterface
public interface ArtifactContent {
  void writeTo(OutputStream out) throws IOException;
}
