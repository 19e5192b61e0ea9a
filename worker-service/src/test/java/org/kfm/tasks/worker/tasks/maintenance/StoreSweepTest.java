package org.kfm.tasks.worker.tasks.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.artifacts.FileSystemArtifactStore;
import org.kfm.tasks.artifacts.StoredObject;

/** Sweeps over a real filesystem store, interleaved deterministically where concurrency matters. */
class StoreSweepTest {
  // Whole seconds, so that times read back from the file system compare equal.
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(1));

  @TempDir Path root;
  @TempDir Path scratch;
  FileSystemArtifactStore store;

  @BeforeEach
  void createStore() {
    store = new FileSystemArtifactStore(root);
  }

  private static SweepLimits limits(int batchSize, boolean dryRun) {
    return new SweepLimits(batchSize, dryRun, () -> false, (fraction, message) -> {});
  }

  /** Stores {@code size} bytes under the key, last written at {@code at}. */
  private void object(String key, int size, Instant at) throws IOException {
    Path file = Files.write(Files.createTempFile(scratch, "o", ".bin"), new byte[size]);
    store.put(key, file, "application/octet-stream");
    Files.setLastModifiedTime(root.resolve(key), FileTime.from(at));
  }

  private List<String> keys() throws IOException {
    try (var listing = store.list("jobs/")) {
      return listing.map(StoredObject::key).sorted().toList();
    }
  }

  @Test
  void removesOnlyObjectsWrittenBeforeTheCutoffAndReportsThem() throws Exception {
    UUID job = UUID.randomUUID();
    object(ArtifactKeys.forJob(job, "a.csv"), 100, NOW.minus(Duration.ofDays(3)));
    object(ArtifactKeys.forJob(job, "b.csv"), 20, NOW.minus(Duration.ofDays(9)));
    object(ArtifactKeys.forJob(job, "c.csv"), 3, NOW.minus(Duration.ofHours(23)));
    List<List<String>> batches = new ArrayList<>();

    StoreSweep.Outcome outcome =
        new StoreSweep(store, limits(1, false)).run("jobs/", CUTOFF, batches::add);

    assertThat(outcome.complete()).isTrue();
    assertThat(outcome.scanned()).isEqualTo(3);
    assertThat(outcome.removed())
        .isEqualTo(
            new Removed(2, 120, NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(3))));
    assertThat(batches).hasSize(2);
    assertThat(keys()).containsExactly(ArtifactKeys.forJob(job, "c.csv"));
  }

  @Test
  void aDryRunCountsAndDeletesNothing() throws Exception {
    UUID job = UUID.randomUUID();
    object(ArtifactKeys.forJob(job, "a.csv"), 100, NOW.minus(Duration.ofDays(3)));
    AtomicBoolean called = new AtomicBoolean();

    StoreSweep.Outcome outcome =
        new StoreSweep(store, limits(10, true)).run("jobs/", CUTOFF, keys -> called.set(true));

    assertThat(outcome.removed().count()).isEqualTo(1);
    assertThat(outcome.removed().bytes()).isEqualTo(100);
    assertThat(called).isFalse();
    assertThat(keys()).hasSize(1);
  }

  /**
   * A second sweep runs to its end while the first is between listing a batch and deleting it: the
   * first then deletes keys already gone and lists on through removed folders, and both succeed.
   */
  @Test
  void aSweepOverlappingAnotherSucceedsAndBothLeaveTheSameState() throws Exception {
    for (int j = 0; j < 10; j++) {
      UUID job = UUID.randomUUID();
      for (int n = 0; n < 3; n++) {
        object(ArtifactKeys.forJob(job, "f" + n + ".bin"), 10, NOW.minus(Duration.ofDays(2)));
      }
    }
    UUID young = UUID.randomUUID();
    object(ArtifactKeys.forJob(young, "new.bin"), 10, NOW);
    AtomicInteger batches = new AtomicInteger();
    List<StoreSweep.Outcome> inner = new ArrayList<>();

    StoreSweep.Outcome outer =
        new StoreSweep(store, limits(4, false))
            .run(
                "jobs/",
                CUTOFF,
                keys -> {
                  if (batches.incrementAndGet() == 1) {
                    inner.add(
                        new StoreSweep(store, limits(7, false)).run("jobs/", CUTOFF, k -> {}));
                  }
                });

    assertThat(outer.complete()).isTrue();
    assertThat(inner.get(0).complete()).isTrue();
    assertThat(inner.get(0).removed().count()).isEqualTo(30);
    assertThat(outer.removed().count()).isBetween(4L, 30L);
    assertThat(keys()).containsExactly(ArtifactKeys.forJob(young, "new.bin"));
    assertThat(root.resolve("jobs")).isDirectory();
  }

  @Test
  void stopsWhenToldAndSaysItIsIncomplete() throws Exception {
    UUID job = UUID.randomUUID();
    for (int n = 0; n < 10; n++) {
      object(ArtifactKeys.forJob(job, "f" + n + ".bin"), 1, NOW.minus(Duration.ofDays(2)));
    }
    AtomicInteger checks = new AtomicInteger();
    SweepLimits stopAfterFive =
        new SweepLimits(2, false, () -> checks.incrementAndGet() > 5, (f, m) -> {});

    StoreSweep.Outcome outcome = new StoreSweep(store, stopAfterFive).run("jobs/", CUTOFF, k -> {});

    assertThat(outcome.complete()).isFalse();
    assertThat(outcome.removed().count()).isEqualTo(5);
    assertThat(keys()).hasSize(5);
  }
}
