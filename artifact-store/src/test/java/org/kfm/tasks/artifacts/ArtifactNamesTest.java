package org.kfm.tasks.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"report.csv", "a", "9", "out_1-final.tar.gz", "A.B.C", "x-"})
  void plainFileNamesAreValid(String name) {
    assertThat(ArtifactNames.isValid(name)).isTrue();
    assertThat(ArtifactNames.requireValid(name)).isEqualTo(name);
  }

  @Test
  void aNameOf128CharactersIsValid() {
    assertThat(ArtifactNames.isValid("a".repeat(128))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x",
        "a/b",
        "a\\b",
        "%2e%2e",
        "a%2Fb",
        "..",
        ".",
        ".hidden",
        "",
        " ",
        "a..b",
        "a b",
        "-leading",
        "_leading",
        "tab\there",
        "nul\0x",
        "line\nbreak",
        "del\u007f",
        "é.txt"
      })
  void namesThatCouldEscapeOrConfuseAreRefused(String name) {
    assertThat(ArtifactNames.isValid(name)).isFalse();
    assertThatThrownBy(() -> ArtifactNames.requireValid(name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullAnd129CharactersAreRefused() {
    assertThat(ArtifactNames.isValid(null)).isFalse();
    assertThat(ArtifactNames.isValid("a".repeat(129))).isFalse();
  }

  @Test
  void jobKeysAreJobsIdName() {
    UUID job = UUID.fromString("0b7e6f4e-8d1c-4a36-9a47-3f6f2d0c9e11");

    assertThat(ArtifactKeys.forJob(job, "report.csv"))
        .isEqualTo("jobs/0b7e6f4e-8d1c-4a36-9a47-3f6f2d0c9e11/report.csv");
    assertThat(ArtifactKeys.prefixOf(job)).isEqualTo("jobs/0b7e6f4e-8d1c-4a36-9a47-3f6f2d0c9e11/");
    assertThat(ArtifactKeys.forJob(job, "report.csv")).startsWith(ArtifactKeys.prefixOf(job));
  }

  @Test
  void jobKeysRefuseInvalidNames() {
    assertThatThrownBy(() -> ArtifactKeys.forJob(UUID.randomUUID(), "../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
