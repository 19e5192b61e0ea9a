package org.kfm.tasks.worker.tasks.ml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A train/test split that depends only on the seed and the runs' job ids: rows are ranked by a hash
 * of (seed, job id) and the first {@code round(n * testFraction)} are held out. The order the
 * database returned them in does not matter, so the same seed over the same runs always holds out
 * the same rows, and a different seed holds out others.
 */
record Split(List<RunRow> train, List<RunRow> test) {

  static Split of(List<RunRow> rows, long seed, double testFraction) {
    if (testFraction <= 0 || testFraction >= 1) {
      throw new IllegalArgumentException("testFraction must be in (0, 1): " + testFraction);
    }
    List<RunRow> ranked = new ArrayList<>(rows);
    ranked.sort(
        Comparator.comparingLong((RunRow row) -> rank(seed, row.jobId()))
            .thenComparing(RunRow::jobId));
    int testCount = (int) Math.round(rows.size() * testFraction);
    return new Split(
        List.copyOf(ranked.subList(testCount, ranked.size())),
        List.copyOf(ranked.subList(0, testCount)));
  }

  /** A 64-bit mix (the SplitMix64 finalizer) of the seed and both halves of the id. */
  static long rank(long seed, UUID id) {
    long z = seed * 0x9E3779B97F4A7C15L + id.getMostSignificantBits();
    z = mix(z) ^ id.getLeastSignificantBits();
    return mix(z);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
