package org.kfm.tasks.worker.tasks.maintenance;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kfm.tasks.worker.outputs.ArtifactWriter;

/**
 * Deletes this replica's leftover temporary artifact files ({@code kfm-artifact-*.part} in the
 * artifact writer's temporary folder) last modified before a cutoff. A write in progress keeps
 * changing its file until the put, and the put of even a large file takes minutes, so a cutoff of
 * an hour or more never touches a running write. Only files this sweep itself deleted are counted,
 * so two sweeps at once report disjoint removals.
 */
final class TempFileSweep {
  private final Path folder;
  private final SweepLimits limits;

  TempFileSweep(Path folder, SweepLimits limits) {
    this.folder = folder;
    this.limits = limits;
  }

  StoreSweep.Outcome run(Instant cutoff) throws IOException {
    if (!Files.isDirectory(folder)) {
      return new StoreSweep.Outcome(Removed.NONE, 0, true);
    }
    Removed removed = Removed.NONE;
    List<Candidate> batch = new ArrayList<>(limits.batchSize());
    long scanned = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(
            folder, ArtifactWriter.TEMP_PREFIX + "*" + ArtifactWriter.TEMP_SUFFIX)) {
      for (Path file : files) {
        if (limits.stopNow()) {
          return new StoreSweep.Outcome(removed.plus(delete(batch)), scanned, false);
        }
        scanned++;
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
          continue;
        }
        Instant modified = attributes.lastModifiedTime().toInstant();
        if (!attributes.isRegularFile() || !modified.isBefore(cutoff)) {
          continue;
        }
        batch.add(new Candidate(file, attributes.size(), modified));
        if (batch.size() == limits.batchSize()) {
          removed = removed.plus(delete(batch));
          limits.progress("temporary files", scanned, removed);
        }
      }
    }
    return new StoreSweep.Outcome(removed.plus(delete(batch)), scanned, true);
  }

  private Removed delete(List<Candidate> batch) throws IOException {
    Removed removed = Removed.NONE;
    for (Candidate c : batch) {
      if (limits.dryRun() || Files.deleteIfExists(c.file())) {
        removed = removed.plus(c.size(), c.modified());
      }
    }
    batch.clear();
    return removed;
  }

  private record Candidate(Path file, long size, Instant modified) {}
}
