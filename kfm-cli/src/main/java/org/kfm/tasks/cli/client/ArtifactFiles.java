package org.kfm.tasks.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Downloads a job's artifacts to files the way a careful user would: into a hidden temporary file
 * beside the target, checked against the artifact's size and SHA-256, and only then renamed over
 * the target. A download that fails or does not match leaves no file behind and an existing target
 * untouched.
 */
public final class ArtifactFiles {
  private static final int BUFFER = 64 * 1024;
  // What the API lets artifacts be called: a plain file name, never a path.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ApiClient api;

  public ArtifactFiles(ApiClient api) {
    this.api = api;
  }

  /** Told how far a download got. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);

    Progress NONE = (done, total) -> {};
  }

  /** A file written and verified. */
  public record Downloaded(String name, long size, String sha256, Path path) {}

  /** The artifacts of a job, as {@code GET /api/v1/jobs/{id}/artifacts} lists them. */
  public JsonNode list(String jobId) {
    return api.get("/api/v1/jobs/" + jobId + "/artifacts").path("items");
  }

  /**
   * Downloads one listed artifact to {@code target}.
   *
   * @throws IllegalStateException when what arrived is not the listed size or SHA-256
   */
  public Downloaded download(String jobId, JsonNode artifact, Path target, Progress progress) {
    String name = requirePlainName(artifact.path("name").asText());
    long size = artifact.path("size").asLong();
    String expected = artifact.path("sha256").asText();
    String link =
        artifact
            .path("links")
            .path("download")
            .asText("/api/v1/jobs/" + jobId + "/artifacts/" + name);
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "." + name + ".", ".part");
      MessageDigest digest = sha256();
      long written;
      HttpResponse<InputStream> response = api.open(link);
      try (InputStream in = response.body();
          OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        written = copy(in, out, size, progress);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (written != size || !actual.equalsIgnoreCase(expected)) {
        throw new IllegalStateException(
            name
                + ": sha256 mismatch, expected "
                + expected
                + " ("
                + size
                + " bytes), got "
                + actual
                + " ("
                + written
                + " bytes); nothing was written to "
                + target);
      }
      move(temp, target);
      temp = null;
      return new Downloaded(name, written, actual, target);
    } catch (IOException e) {
      throw new IllegalStateException(
          "downloading " + name + " to " + target + " failed: " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the download already failed for a better reason
        }
      }
    }
  }

  /** An artifact's name as a file name: the API never sends another, but a file is at stake. */
  public static String requirePlainName(String name) {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalStateException(
          "the API listed an artifact named " + name + ", not a plain file name");
    }
    return name;
  }

  private static long copy(InputStream in, OutputStream out, long total, Progress progress)
      throws IOException {
    byte[] buffer = new byte[BUFFER];
    long done = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      out.write(buffer, 0, n);
      done += n;
      progress.update(done, total);
    }
    return done;
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
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
