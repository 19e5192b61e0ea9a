package org.kfm.tasks.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemArtifactStoreTest extends ArtifactStoreContractTest {
  @TempDir Path root;
  FileSystemArtifactStore store;

  @BeforeEach
  void createStore() {
    store = (FileSystemArtifactStore) ArtifactStores.create(ArtifactStoreConfig.filesystem(root));
  }

  @Override
  ArtifactStore store() {
    return store;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../outside.txt",
        "jobs/../../outside.txt",
        "jobs/x/../y",
        "..",
        "/etc/passwd",
        "/tmp/x",
        "jobs\\x\\..\\..\\y",
        "C:\\x",
        "jobs//x",
        "jobs/x/",
        "jobs/.hidden",
        "jobs/./x",
        ""
      })
  void keysThatCouldEscapeOrHideAreRefused(String key) throws IOException {
    Path bytes = file(new byte[] {1});

    assertThatThrownBy(() -> store.put(key, bytes, "text/plain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.open(key, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.size(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(root.getParent().resolve("outside.txt")).doesNotExist();
  }

  @Test
  void prefixesThatCouldEscapeAreRefused() {
    assertThatThrownBy(() -> store.deleteAll("../")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteAll("/jobs/"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysMapToFilesUnderTheRoot() throws IOException {
    UUID job = UUID.randomUUID();
    store.put(ArtifactKeys.forJob(job, "a.txt"), file(new byte[] {42}), "text/plain");

    assertThat(root.resolve("jobs").resolve(job.toString()).resolve("a.txt"))
        .hasBinaryContent(new byte[] {42});
  }

  @Test
  void noTemporaryFilesRemainAfterPuts() throws IOException {
    UUID job = UUID.randomUUID();
    String key = ArtifactKeys.forJob(job, "a.txt");
    store.put(key, file(new byte[] {1, 2}), "text/plain");
    store.put(key, file(new byte[] {3}), "text/plain");

    assertThat(filesUnder(root)).containsExactly(root.resolve(Path.of("jobs", job + "", "a.txt")));
  }

  @Test
  void aFailedPutLeavesTheOldBytesAndNoTemporaryFile() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "a.txt");
    store.put(key, file(new byte[] {1, 2}), "text/plain");

    assertThatThrownBy(() -> store.put(key, scratch.resolve("absent.bin"), "text/plain"))
        .isInstanceOf(IOException.class);

    assertThat(read(key, 0, 10)).containsExactly(1, 2);
    assertThat(filesUnder(root)).hasSize(1);
  }

  @Test
  void crashLeftoversAreInvisibleAndDeletedWithTheirJob() throws IOException {
    UUID job = UUID.randomUUID();
    store.put(ArtifactKeys.forJob(job, "a.txt"), file(new byte[] {1}), "text/plain");
    Path leftover = root.resolve(Path.of("jobs", job.toString(), ".a.txt.0123abcd.tmp"));
    Files.write(leftover, new byte[] {9, 9});

    assertThatThrownBy(() -> store.size("jobs/" + job + "/.a.txt.0123abcd.tmp"))
        .isInstanceOf(IllegalArgumentException.class);

    store.deleteAll(ArtifactKeys.prefixOf(job));
    assertThat(leftover).doesNotExist();
  }

  @Test
  void deleteAllRemovesTheFoldersItEmptied() throws IOException {
    UUID doomed = UUID.randomUUID();
    UUID kept = UUID.randomUUID();
    store.put(ArtifactKeys.forJob(doomed, "a.txt"), file(new byte[] {1}), "text/plain");
    store.put("jobs/" + doomed + "/nested/b.txt", file(new byte[] {2}), "text/plain");
    store.put(ArtifactKeys.forJob(kept, "a.txt"), file(new byte[] {3}), "text/plain");

    store.deleteAll(ArtifactKeys.prefixOf(doomed));

    assertThat(root.resolve("jobs").resolve(doomed.toString())).doesNotExist();
    assertThat(root.resolve("jobs").resolve(kept.toString()).resolve("a.txt")).exists();
  }

  @Test
  void deleteAllByANamePrefixKeepsOtherFilesAndTheFolder() throws IOException {
    UUID job = UUID.randomUUID();
    store.put(ArtifactKeys.forJob(job, "report-1.csv"), file(new byte[] {1}), "text/csv");
    store.put(ArtifactKeys.forJob(job, "report-2.csv"), file(new byte[] {1}), "text/csv");
    store.put(ArtifactKeys.forJob(job, "summary.txt"), file(new byte[] {1}), "text/plain");

    store.deleteAll("jobs/" + job + "/report-");

    assertThat(store.size(ArtifactKeys.forJob(job, "report-1.csv"))).isEmpty();
    assertThat(store.size(ArtifactKeys.forJob(job, "report-2.csv"))).isEmpty();
    assertThat(store.size(ArtifactKeys.forJob(job, "summary.txt"))).hasValue(1);
  }

  @Test
  void listShowsTheFilesModificationTimeAndNotTheTemporaryFiles() throws IOException {
    UUID job = UUID.randomUUID();
    String key = ArtifactKeys.forJob(job, "a.txt");
    store.put(key, file(new byte[] {1, 2}), "text/plain");
    Instant old = Instant.parse("2024-01-02T03:04:05Z");
    Files.setLastModifiedTime(root.resolve(key), FileTime.from(old));
    Files.write(
        root.resolve(Path.of("jobs", job.toString(), ".a.txt.0123abcd.tmp")), new byte[] {9});

    assertThat(list(ArtifactKeys.prefixOf(job))).containsExactly(new StoredObject(key, 2, old));
  }

  @Test
  void deleteRemovesTheFoldersItEmptiedButKeepsTheTopFolder() throws IOException {
    UUID job = UUID.randomUUID();
    UUID kept = UUID.randomUUID();
    store.put("tiles/" + job + "/3/4/5.png", file(new byte[] {1}), "image/png");
    store.put("tiles/" + kept + "/3/4/5.png", file(new byte[] {1}), "image/png");

    store.delete(List.of("tiles/" + job + "/3/4/5.png"));

    assertThat(root.resolve("tiles").resolve(job.toString())).doesNotExist();
    assertThat(root.resolve("tiles").resolve(kept.toString())).isDirectory();
    store.delete(List.of("tiles/" + kept + "/3/4/5.png"));
    assertThat(root.resolve("tiles")).isDirectory();
  }

  @Test
  void aPutIntoAFolderACleanupJustRemovedStillLands() throws Exception {
    String top = "race-" + UUID.randomUUID();
    Path bytes = file(new byte[] {5});
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> cleaner =
          pool.submit(
              () -> {
                for (int i = 0; i < 2000; i++) {
                  store.delete(List.of(top + "/shared/gone.bin"));
                }
                return null;
              });
      Future<?> writer =
          pool.submit(
              () -> {
                for (int i = 0; i < 300; i++) {
                  store.put(top + "/shared/n" + i + ".bin", bytes, "application/octet-stream");
                  store.delete(List.of(top + "/shared/n" + i + ".bin"));
                }
                return null;
              });
      writer.get(45, TimeUnit.SECONDS);
      cleaner.get(45, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void cannotPresign() throws IOException {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "a.txt");
    store.put(key, file(new byte[] {1}), "text/plain");

    assertThat(store.presignedGet(key, Duration.ofMinutes(5))).isEmpty();
    assertThat(store.kind()).isEqualTo("filesystem");
  }

  /**
   * A writer replaces the object with versions of different lengths while a reader keeps reading it
   * whole: every read must be exactly one version, never a mix or a prefix.
   */
  @Test
  void readersSeeWholeVersionsDuringConcurrentPuts() throws Exception {
    String key = ArtifactKeys.forJob(UUID.randomUUID(), "moving.bin");
    int versions = 300;
    store.put(key, file(version(0)), "application/octet-stream");
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                try {
                  Path source = scratch.resolve("source.bin");
                  for (int v = 1; v < versions; v++) {
                    Files.write(source, version(v));
                    store.put(key, source, "application/octet-stream");
                  }
                } finally {
                  writing.set(false);
                }
                return null;
              });
      Future<Integer> reader =
          pool.submit(
              () -> {
                int reads = 0;
                while (writing.get() || reads == 0) {
                  byte[] seen = read(key, 0, Long.MAX_VALUE);
                  int v = ByteBuffer.wrap(seen).getInt();
                  assertThat(seen).isEqualTo(version(v));
                  reads++;
                }
                return reads;
              });
      writer.get(45, TimeUnit.SECONDS);
      assertThat(reader.get(45, TimeUnit.SECONDS)).isPositive();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(read(key, 0, Long.MAX_VALUE)).isEqualTo(version(versions - 1));
    assertThat(filesUnder(root)).hasSize(1);
  }

  /**
   * Version {@code v}: its number, then a length and filling that differ from version to version.
   */
  private static byte[] version(int v) {
    byte[] bytes = new byte[4 + (v * 7919) % 65_536];
    Arrays.fill(bytes, (byte) v);
    ByteBuffer.wrap(bytes).putInt(v);
    return bytes;
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }
}
