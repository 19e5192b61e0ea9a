package org.kfm.tasks.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What every store must do; each implementation's test extends this with its own store. */
@Timeout(60)
abstract class ArtifactStoreContractTest {
  @TempDir Path scratch;

  /** The store under test; tests use fresh job ids, so one store may serve every test. */
  abstract ArtifactStore store();

  @Test
  void putThenSizeAndFullRead() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "report.csv");
    byte[] bytes = randomBytes(10_000, 1);

    store().put(key, file(bytes), "text/csv");

    assertThat(store().size(key)).hasValue(bytes.length);
    assertThat(read(key, 0, bytes.length)).isEqualTo(bytes);
  }

  @Test
  void rangedReadsReturnExactlyTheRange() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "data.bin");
    byte[] bytes = randomBytes(4096, 2);
    store().put(key, file(bytes), "application/octet-stream");

    assertThat(read(key, 0, 1)).isEqualTo(slice(bytes, 0, 1));
    assertThat(read(key, 100, 900)).isEqualTo(slice(bytes, 100, 900));
    assertThat(read(key, 4095, 1)).isEqualTo(slice(bytes, 4095, 1));
    assertThat(read(key, 1000, 0)).isEmpty();
  }

  @Test
  void rangeReachingPastTheEndStopsAtTheEnd() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "data.bin");
    byte[] bytes = randomBytes(100, 3);
    store().put(key, file(bytes), "application/octet-stream");

    assertThat(read(key, 90, 50)).isEqualTo(slice(bytes, 90, 10));
    assertThat(read(key, 0, Long.MAX_VALUE)).isEqualTo(bytes);
    assertThat(read(key, 100, 10)).isEmpty();
  }

  @Test
  void secondPutReplacesTheObject() throws IOException {
    UUID job = UUID.randomUUID();
    String key = ArtifactKeys.forJob(job, "out.json");
    store().put(key, file(randomBytes(5000, 4)), "application/json");
    byte[] replacement = randomBytes(1200, 5);

    store().put(key, file(replacement), "application/json");

    assertThat(store().size(key)).hasValue(replacement.length);
    assertThat(read(key, 0, 5000)).isEqualTo(replacement);
  }

  @Test
  void emptyObjectRoundTrips() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "empty.txt");
    store().put(key, file(new byte[0]), "text/plain");

    assertThat(store().size(key)).hasValue(0);
    assertThat(read(key, 0, 10)).isEmpty();
  }

  @Test
  void openOfAMissingKeyThrowsNoSuchFile() {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "missing.txt");

    assertThatThrownBy(() -> store().open(key, 0, 10))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(key);
    assertThatThrownBy(() -> store().open(key, 0, 0)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aKeyThatIsOnlyAPrefixOfOthersHoldsNothing() throws IOException {
    UUID job = UUID.randomUUID();
    store().put(ArtifactKeys.forJob(job, "a.txt"), file(new byte[] {1}), "text/plain");
    String folder = "jobs/" + job;

    assertThat(store().size(folder)).isEmpty();
    assertThatThrownBy(() -> store().open(folder, 0, 1))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(folder);
  }

  @Test
  void sizeOfAMissingKeyIsEmpty() throws IOException {
    assertThat(store().size(ArtifactKeys.forJob(UUID.randomUUID(), "missing.txt"))).isEmpty();
  }

  @Test
  void deleteAllRemovesOnlyThePrefixsObjects() throws IOException {
    UUID doomed = UUID.randomUUID();
    UUID kept = UUID.randomUUID();
    Path bytes = file(randomBytes(10, 6));
    for (String name : new String[] {"a.txt", "b.txt", "c.txt"}) {
      store().put(ArtifactKeys.forJob(doomed, name), bytes, "text/plain");
      store().put(ArtifactKeys.forJob(kept, name), bytes, "text/plain");
    }

    store().deleteAll(ArtifactKeys.prefixOf(doomed));

    for (String name : new String[] {"a.txt", "b.txt", "c.txt"}) {
      assertThat(store().size(ArtifactKeys.forJob(doomed, name))).isEmpty();
      assertThat(store().size(ArtifactKeys.forJob(kept, name))).hasValue(10);
    }
  }

  @Test
  void deleteAllOfAnUnknownPrefixDoesNothing() throws IOException {
    store().deleteAll(ArtifactKeys.prefixOf(UUID.randomUUID()));
  }

  @Test
  void emptyPrefixIsRefused() {
    assertThatThrownBy(() -> store().deleteAll("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeObjectRoundTrips() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "large.bin");
    byte[] bytes = randomBytes(8 * 1024 * 1024, 7);

    store().put(key, file(bytes), "application/octet-stream");

    assertThat(store().size(key)).hasValue(bytes.length);
    assertThat(Arrays.equals(read(key, 0, bytes.length), bytes)).isTrue();
    int middle = 3 * 1024 * 1024 + 17;
    assertThat(Arrays.equals(read(key, middle, 65_536), slice(bytes, middle, 65_536))).isTrue();
  }

  byte[] read(String key, long offset, long length) throws IOException {
    try (InputStream in = store().open(key, offset, length)) {
      return in.readAllBytes();
    }
  }

  Path file(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(scratch, "upload", ".bin"), bytes);
  }

  static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] slice(byte[] bytes, int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }
}
