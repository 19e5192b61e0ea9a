package org.kfm.tasks.worker.outputs;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.ArtifactContent;
import org.kfm.tasks.contracts.ArtifactRef;

/**
 * Turns a handler's bytes into a stored artifact: written to a local temporary file (hashed and
 * counted on the way), then put in the store in one step under the job's deterministic key, so a
 * retry replaces the file instead of adding one, and a crash mid-write leaves nothing under the
 * key.
 */
@ApplicationScoped
public class ArtifactWriter {
  private static final Logger LOG = Logger.getLogger(ArtifactWriter.class);

  /** Temporary files are named {@code kfm-artifact-<random>.part}: what a cleanup looks for. */
  public static final String TEMP_PREFIX = "kfm-artifact-";

  public static final String TEMP_SUFFIX = ".part";

  private final ArtifactStore store;
  private final MeterRegistry registry;
  private final Path tempDir;

  public ArtifactWriter(
      ArtifactStore store,
      MeterRegistry registry,
      @ConfigProperty(name = "kfm.artifacts.temp-dir") Path tempDir) {
    this.store = store;
    this.registry = registry;
    this.tempDir = tempDir;
  }

  public ArtifactRef write(UUID jobId, String name, String contentType, ArtifactContent content)
      throws IOException {
    String key = ArtifactKeys.forJob(jobId, name);
    Files.createDirectories(tempDir);
    Path temp = Files.createTempFile(tempDir, TEMP_PREFIX, TEMP_SUFFIX);
    try {
      MessageDigest sha256 = sha256();
      try (OutputStream file = Files.newOutputStream(temp);
          DigestOutputStream digesting = new DigestOutputStream(file, sha256);
          OutputStream out = new BufferedOutputStream(digesting, 64 * 1024)) {
        content.writeTo(out);
      }
      long size = Files.size(temp);
      store.put(key, temp, contentType);
      registry.counter("kfm.artifacts.stored", "store", store.kind()).increment();
      registry.counter("kfm.artifacts.stored.bytes", "store", store.kind()).increment(size);
      LOG.infof(
          "job=%s stored artifact %s (%d bytes) in the %s store", jobId, name, size, store.kind());
      return new ArtifactRef(
          name, contentType, size, HexFormat.of().formatHex(sha256.digest()), key);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
