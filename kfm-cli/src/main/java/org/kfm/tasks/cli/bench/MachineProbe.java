package org.kfm.tasks.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Two reference figures of the machine, taken before the load, so that runs on different machines
 * can be told apart from changes in the code: how fast one core sorts, and how long a small write
 * takes to reach the disk (every commit waits for one).
 */
public final class MachineProbe {
  private static final int SORTED_INTS = 5_000_000;
  private static final int SYNCED_WRITES = 200;

  private MachineProbe() {}

  /** Median milliseconds to sort five million random ints on one core, over three tries. */
  public static double sortMillis() {
    double[] tries = new double[3];
    SplittableRandom random = new SplittableRandom(42);
    for (int t = 0; t < tries.length; t++) {
      int[] values = random.ints(SORTED_INTS).toArray();
      long start = System.nanoTime();
      Arrays.sort(values);
      tries[t] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(tries);
    return tries[1];
  }

  /** Median microseconds of an 8 kB write followed by fdatasync, in {@code dir}. */
  public static double fsyncMicros(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "fsync-probe", ".bin");
    double[] micros = new double[SYNCED_WRITES];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(8192);
      for (int i = 0; i < SYNCED_WRITES; i++) {
        block.rewind();
        long start = System.nanoTime();
        channel.write(block, 0);
        channel.force(false);
        micros[i] = (System.nanoTime() - start) / 1e3;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    Arrays.sort(micros);
    return micros[SYNCED_WRITES / 2];
  }
}
