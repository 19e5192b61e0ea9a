package org.kfm.tasks.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * How many of each service the local stack runs: {@code replicas} api processes and, per
 * concurrency class, {@code replicas} worker processes (one worker for all classes when a single
 * replica is not asked to split by class). It is recorded when the stack starts, so a later {@code
 * ./kfm up} knows which parts belong to the stack and starts only those that are not running.
 */
public record StackShape(int replicas, boolean workerPerClass) {
  /**
   * Topics are created with this many partitions (the local broker's default); a further replica of
   * a consumer group would get none and idle.
   */
  public static final int MAX_REPLICAS = 4;

  private static final String FILE = "shape.properties";

  public static final StackShape SINGLE = new StackShape(1, false);

  public StackShape {
    if (replicas < 1 || replicas > MAX_REPLICAS) {
      throw new IllegalArgumentException(
          "replicas must be between 1 and "
              + MAX_REPLICAS
              + " (the topics' partitions), got "
              + replicas);
    }
    // Several workers serving every class would compete for the same partitions of all topics;
    // the scaled-out shape is the production one, a deployment per class.
    workerPerClass = workerPerClass || replicas > 1;
  }

  /** The shape the stack in {@code layout} was last started with, if it was. */
  public static Optional<StackShape> recorded(StackLayout layout) {
    Path file = layout.run().resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
      return Optional.of(
          new StackShape(
              Integer.parseInt(p.getProperty("replicas", "1")),
              Boolean.parseBoolean(p.getProperty("worker-per-class", "false"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  void record(StackLayout layout) {
    Properties p = new Properties();
    p.setProperty("replicas", String.valueOf(replicas));
    p.setProperty("worker-per-class", String.valueOf(workerPerClass));
    try {
      Files.createDirectories(layout.run());
      try (var out = Files.newBufferedWriter(layout.run().resolve(FILE))) {
        p.store(out, "the shape ./kfm up started; ./kfm down removes it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void forget(StackLayout layout) {
    try {
      Files.deleteIfExists(layout.run().resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
