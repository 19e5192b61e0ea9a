package org.kfm.tasks.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
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

  @Test
  void listGivesEveryObjectUnderThePrefixWithItsSizeAndWriteTime() throws IOException {
    UUID job = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
    store().put(ArtifactKeys.forJob(job, "a.csv"), file(randomBytes(10, 8)), "text/csv");
    store().put(ArtifactKeys.forJob(job, "b.pdf"), file(randomBytes(2000, 9)), "application/pdf");
    store().put(ArtifactKeys.forJob(other, "a.csv"), file(randomBytes(5, 10)), "text/csv");
    Instant after = Instant.now().plusSeconds(1);

    List<StoredObject> listed = list(ArtifactKeys.prefixOf(job));

    assertThat(listed)
        .extracting(StoredObject::key, StoredObject::size)
        .containsExactlyInAnyOrder(
            tuple(ArtifactKeys.forJob(job, "a.csv"), 10L),
            tuple(ArtifactKeys.forJob(job, "b.pdf"), 2000L));
    assertThat(listed).allSatisfy(o -> assertThat(o.lastModified()).isBetween(before, after));
  }

  @Test
  void listReachesNestedKeysAndMatchesPartialNames() throws IOException {
    String top = "list-" + UUID.randomUUID();
    Path bytes = file(new byte[] {1, 2, 3});
    for (String key :
        new String[] {top + "/roads/3/4/5.png", top + "/roads/3/4/6.png", top + "/rivers/1.png"}) {
      store().put(key, bytes, "image/png");
    }

    assertThat(list(top + "/")).extracting(StoredObject::key).hasSize(3);
    assertThat(list(top + "/ro"))
        .extracting(StoredObject::key)
        .containsExactlyInAnyOrder(top + "/roads/3/4/5.png", top + "/roads/3/4/6.png");
    assertThat(list(top + "/roads/3/4/5"))
        .extracting(StoredObject::key)
        .containsExactly(top + "/roads/3/4/5.png");
    assertThat(list("list-" + UUID.randomUUID() + "/")).isEmpty();
  }

  @Test
  void aListingGoesOnWhileWhatItListedIsDeleted() throws IOException {
    String top = "list-" + UUID.randomUUID();
    Path bytes = file(new byte[] {4});
    List<String> keys = new ArrayList<>();
    for (int folder = 0; folder < 4; folder++) {
      for (int n = 0; n < 3; n++) {
        keys.add(top + "/f" + folder + "/o" + n + ".bin");
        store().put(keys.get(keys.size() - 1), bytes, "application/octet-stream");
      }
    }

    List<String> seen = new ArrayList<>();
    try (Stream<StoredObject> listing = store().list(top + "/")) {
      listing.forEach(
          o -> {
            seen.add(o.key());
            try {
              store().delete(List.of(o.key()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }

    assertThat(seen).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(list(top + "/")).isEmpty();
  }

  @Test
  void deleteRemovesExactlyTheKeysNotThoseTheyArePrefixesOf() throws IOException {
    UUID job = UUID.randomUUID();
    Path bytes = file(new byte[] {1});
    for (String name : new String[] {"a.csv", "a.csv.gz", "b.csv"}) {
      store().put(ArtifactKeys.forJob(job, name), bytes, "text/csv");
    }

    store().delete(List.of(ArtifactKeys.forJob(job, "a.csv"), ArtifactKeys.forJob(job, "b.csv")));

    assertThat(list(ArtifactKeys.prefixOf(job)))
        .extracting(StoredObject::key)
        .containsExactly(ArtifactKeys.forJob(job, "a.csv.gz"));
  }

  @Test
  void deletingWhatIsAlreadyGoneIsNoError() throws IOException {
    UUID job = UUID.randomUUID();
    String key = ArtifactKeys.forJob(job, "a.csv");
    store().put(key, file(new byte[] {1}), "text/csv");

    store().delete(List.of(key));
    store().delete(List.of(key, ArtifactKeys.forJob(UUID.randomUUID(), "never.csv")));
    store().delete(List.of());

    assertThat(store().size(key)).isEmpty();
  }

  @Test
  void listAndDeleteRefuseBadKeys() {
    assertThatThrownBy(() -> store().list("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().list("../")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().delete(List.of("jobs/../x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  List<StoredObject> list(String prefix) throws IOException {
    try (Stream<StoredObject> listing = store().list(prefix)) {
      return listing.toList();
    }
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
