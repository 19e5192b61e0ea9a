package org.kfm.tasks.worker.tasks.ml;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.TaskFailure;

/**
 * Loads a registered model from the artifact store, where {@code ml.retrain} put it. The bytes are
 * checked against the registry's size and SHA-256 before they are parsed: a model that changed
 * since it was registered is refused, never silently used.
 */
@ApplicationScoped
class ModelFiles {
  private final ArtifactStore store;

  ModelFiles(ArtifactStore store) {
    this.store = store;
  }

  Surrogate load(MlModel model) throws IOException {
    byte[] bytes;
    try (InputStream in = store.open(model.artifactKey, 0, model.artifactSize)) {
      bytes = in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw TaskFailure.permanent(
          "MODEL_MISSING",
          label(model) + " is registered but its file " + model.artifactKey + " is gone");
    }
    if (bytes.length != model.artifactSize || !sha256(bytes).equals(model.sha256)) {
      throw TaskFailure.permanent(
          "MODEL_CORRUPT",
          label(model)
              + ": the file "
              + model.artifactKey
              + " does not match its registered sha256");
    }
    try {
      return Surrogate.read(new ByteArrayInputStream(bytes), Target.named(model.target));
    } catch (IllegalArgumentException e) {
      throw TaskFailure.permanent("MODEL_CORRUPT", label(model) + ": " + e.getMessage());
    }
  }

  static String label(MlModel model) {
    return "model " + model.name + " v" + model.version;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
