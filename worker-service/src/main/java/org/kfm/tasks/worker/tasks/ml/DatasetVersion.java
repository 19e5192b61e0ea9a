package org.kfm.tasks.worker.tasks.ml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Which runs a model was trained on, short enough to store and compare: how many, the latest finish
 * time among them, and a SHA-256 of their sorted job ids. Two trainings saw the same data exactly
 * when their versions are equal; a new run, a deleted one or a different filter changes it.
 */
record DatasetVersion(int rows, Instant maxFinishedAt, String idsSha256) {

  static DatasetVersion of(List<RunRow> rows) {
    MessageDigest digest = sha256();
    Instant latest = null;
    List<UUID> ids = rows.stream().map(RunRow::jobId).sorted().toList();
    for (UUID id : ids) {
      digest.update(id.toString().getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) '\n');
    }
    for (RunRow row : rows) {
      if (latest == null || row.finishedAt().isAfter(latest)) {
        latest = row.finishedAt();
      }
    }
    return new DatasetVersion(rows.size(), latest, HexFormat.of().formatHex(digest.digest()));
  }

  /** e.g. {@code simulation_runs:40:2026-11-30T14:00:00Z:3f2a9c1d0b7e6a55}. */
  String text() {
    return "simulation_runs:" + rows + ":" + maxFinishedAt + ":" + idsSha256.substring(0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
