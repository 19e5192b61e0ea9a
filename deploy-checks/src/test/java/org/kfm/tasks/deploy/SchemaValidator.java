package org.kfm.tasks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node script of src/test/node, installed from its lock file into target/ (npm ci, once per
 * lock) and run on rendered manifests.
 */
final class SchemaValidator {
  private static final Path SOURCES = Path.of("src/test/node");
  private static final Path HOME = Path.of("target/node-validate").toAbsolutePath();
  private static final List<String> FILES =
      List.of("package.json", "package-lock.json", "validate.mjs", "kafkatopic.schema.json");

  private SchemaValidator() {}

  static synchronized Tools.Result validate(String... manifests) {
    Tools.require("node");
    Tools.require("npm");
    try {
      install();
      List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
      for (int i = 0; i < manifests.length; i++) {
        Path file = HOME.resolve("manifest-" + i + ".yaml");
        Files.writeString(file, manifests[i]);
        command.add(file.toString());
      }
      return Tools.run(HOME, Duration.ofSeconds(60), command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void install() throws IOException {
    Files.createDirectories(HOME);
    Path installedLock = HOME.resolve("node_modules/.kfm-installed-lock.json");
    String lock = Files.readString(SOURCES.resolve("package-lock.json"));
    for (String file : FILES) {
      Files.copy(SOURCES.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.exists(installedLock) && Files.readString(installedLock).equals(lock)) {
      return;
    }
    Tools.Result install =
        Tools.run(
            HOME,
            Duration.ofSeconds(240),
            List.of(
                "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"));
    if (install.exitCode() != 0) {
      throw new IllegalStateException(install.toString());
    }
    Files.writeString(installedLock, lock);
  }
}
