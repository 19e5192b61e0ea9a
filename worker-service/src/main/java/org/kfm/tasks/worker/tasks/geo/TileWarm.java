package org.kfm.tasks.worker.tasks.geo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jboss.logging.MDC;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.geo.Tile;
import org.kfm.tasks.contracts.geo.TileKeys;
import org.kfm.tasks.contracts.geo.TileRange;

/**
 * Makes the missing tiles of some ranges with a small pool of its own: at most {@code concurrency}
 * tiles are in flight, each checked in the store first (a cached tile is skipped unless {@code
 * overwrite}), then made and put under its key in one step. The first failure stops the warm; tiles
 * stored before it stay, so a retry goes on where this one stopped.
 */
final class TileWarm {
  /** Where the warm is, for the job's progress. */
  interface Progress {
    void report(long done, long total);
  }

  record Outcome(long tiles, long produced, long skipped, long bytes) {}

  private static final long POLL_MILLIS = 200;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ArtifactStore store;
  private final MeterRegistry registry;
  private final int concurrency;

  TileWarm(ArtifactStore store, MeterRegistry registry, int concurrency) {
    this.store = store;
    this.registry = registry;
    this.concurrency = Math.max(1, concurrency);
  }

  Outcome run(
      String layer,
      TileSource source,
      List<TileRange> ranges,
      boolean overwrite,
      Progress progress,
      BooleanSupplier cancelled)
      throws Exception {
    long total = ranges.stream().mapToLong(TileRange::count).sum();
    AtomicLong produced = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Semaphore places = new Semaphore(concurrency);
    Map<String, Object> logContext = MDC.getMap();
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            concurrency,
            task -> {
              Thread thread =
                  new Thread(task, "tile-warm-" + pool + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    Timer made = registry.timer("kfm.tiles.produce.duration", "layer", layer);
    Counter producedTiles =
        registry.counter("kfm.tiles.warmed", "layer", layer, "outcome", "produced");
    Counter skippedTiles =
        registry.counter("kfm.tiles.warmed", "layer", layer, "outcome", "skipped");
    Counter producedBytes = registry.counter("kfm.tiles.warmed.bytes", "layer", layer);
    try {
      outer:
      for (TileRange range : ranges) {
        for (Tile tile : range) {
          while (!places.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (stop(failure, cancelled)) {
              break outer;
            }
          }
          if (stop(failure, cancelled)) {
            places.release();
            break outer;
          }
          workers.execute(
              () -> {
                logContext.forEach(MDC::put);
                try {
                  long size = warmOne(layer, source, tile, overwrite, made);
                  if (size < 0) {
                    skipped.incrementAndGet();
                    skippedTiles.increment();
                  } else {
                    produced.incrementAndGet();
                    bytes.addAndGet(size);
                    producedTiles.increment();
                    producedBytes.increment(size);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                } finally {
                  places.release();
                  MDC.clear();
                }
              });
          progress.report(produced.get() + skipped.get(), total);
        }
      }
      // Wait for the tiles in flight: all places free again.
      while (!places.tryAcquire(concurrency, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        progress.report(produced.get() + skipped.get(), total);
        if (cancelled.getAsBoolean()) {
          break;
        }
      }
    } finally {
      workers.shutdownNow();
      // Nothing of this job writes after it returns; a tile put in flight finishes or is dropped.
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
    Throwable first = failure.get();
    if (first instanceof Exception e) {
      throw e;
    } else if (first instanceof Error e) {
      throw e;
    }
    if (cancelled.getAsBoolean()) {
      throw new IllegalStateException("tile warm stopped");
    }
    progress.report(produced.get() + skipped.get(), total);
    return new Outcome(total, produced.get(), skipped.get(), bytes.get());
  }

  private static boolean stop(AtomicReference<Throwable> failure, BooleanSupplier cancelled) {
    return failure.get() != null
        || cancelled.getAsBoolean()
        || Thread.currentThread().isInterrupted();
  }

  /** Makes and stores one tile; returns its size, or -1 when it was cached and left alone. */
  private long warmOne(String layer, TileSource source, Tile tile, boolean overwrite, Timer made)
      throws Exception {
    String key = TileKeys.of(layer, tile);
    if (!overwrite && store.size(key).isPresent()) {
      return -1;
    }
    long start = System.nanoTime();
    byte[] png = source.tile(tile);
    Path temp = Files.createTempFile("kfm-tile-", ".png");
    try {
      Files.write(temp, png);
      store.put(key, temp, "image/png");
    } finally {
      Files.deleteIfExists(temp);
    }
    made.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return png.length;
  }
}
