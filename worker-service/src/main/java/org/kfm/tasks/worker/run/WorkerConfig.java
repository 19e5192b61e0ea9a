package org.kfm.tasks.worker.run;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "kfm.worker")
public interface WorkerConfig {
  /** Names this replica in status events and logs; defaults to host name and process id. */
  Optional<String> id();

  /**
   * Which concurrency classes this replica serves (cpu-heavy, io-heavy, latency-sensitive). The
   * matching channels are enabled from the same keys, so the two cannot disagree.
   */
  Map<String, Boolean> serve();

  /** Progress is published at most this often per job (the last report always wins). */
  @WithDefault("500ms")
  Duration progressInterval();

  /** How often a running attempt tells the API it is alive; keep well under the API's lease. */
  @WithDefault("5s")
  Duration heartbeatInterval();

  /**
   * An attempt still running after this long reports "started"; a shorter one reports its start in
   * its outcome, one event instead of two. Zero reports every start at once.
   */
  @WithDefault("200ms")
  Duration startReportDelay();

  /** How long a stopped (timed out, canceled) handler may take to return before it is abandoned. */
  @WithDefault("5s")
  Duration stopGrace();

  /** On shutdown, how long running attempts may take to finish before they are stopped. */
  @WithDefault("20s")
  Duration shutdownGrace();

  /** How long to keep trying to publish a final status event before giving the record up. */
  @WithDefault("10m")
  Duration finalEventPatience();
}
