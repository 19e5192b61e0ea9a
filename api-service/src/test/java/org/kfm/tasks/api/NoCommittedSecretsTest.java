package org.kfm.tasks.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No private key, key store or cloud credential sits in the source tree: keys are generated where
 * they are used (the local stack, each test run) and secrets come from the environment.
 */
class NoCommittedSecretsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Set<String> SKIPPED = Set.of(".git", "target", ".kfm", "node_modules");
  // Assembled, so this file does not match itself. AWS's documented example key id is allowed: the
  // redaction tests need a string shaped like a key id, and that one opens nothing.
  private static final Pattern SECRET =
      Pattern.compile(
          "-----BEGIN [A-Z ]*PRIVATE"
              + " KEY-----|AKIA(?!IOSFODNN7EXAMPLE)[0-9A-Z]{16}|-----BEGIN OPENSSH"
              + " PRIVATE");
  private static final Pattern KEY_FILE =
      Pattern.compile(".*\\.(p12|pfx|jks|keystore|key)$|.*private.*\\.pem$");

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files =
        Files.walk(ROOT)
            .filter(
                p ->
                    ROOT.relativize(p).toString().isEmpty()
                        || SKIPPED.stream()
                            .noneMatch(
                                s ->
                                    ROOT.relativize(p).toString().contains(s + "/")
                                        || ROOT.relativize(p).startsWith(s)))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void noFileHoldsAPrivateKeyOrACloudAccessKey() throws IOException {
    List<Path> files = sources();
    assertThat(files).as("files under %s", ROOT).hasSizeGreaterThan(100);
    List<String> found =
        files.stream()
            .filter(p -> Files.isReadable(p))
            .filter(
                p -> {
                  try {
                    return SECRET
                        .matcher(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                        .find();
                  } catch (IOException e) {
                    return false;
                  }
                })
            .map(p -> ROOT.relativize(p).toString())
            .toList();
    assertThat(found).isEmpty();
  }

  @Test
  void noKeyStoreOrPrivateKeyFileIsInTheTree() throws IOException {
    assertThat(
            sources().stream()
                .map(p -> ROOT.relativize(p).toString())
                .filter(name -> KEY_FILE.matcher(name).matches()))
        .isEmpty();
  }
}
