package org.kfm.tasks.worker.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.kfm.tasks.contracts.ArtifactContent;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.contracts.JobEvent;
import org.kfm.tasks.contracts.Redactor;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.TaskSpec;
import org.kfm.tasks.contracts.Wire;
import org.kfm.tasks.worker.outputs.ArtifactWriter;

/** The running attempt as its handler sees it. */
final class AttemptContext implements TaskContext {
  private static final Logger LOG = Logger.getLogger(AttemptContext.class);

  private final TaskCommand command;
  private final TaskSpec spec;
  private final Consumer<JobEvent.Progress> progressSink;
  private final long progressIntervalMillis;
  private final Clock clock;
  private final Instant startedAt;
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private final ArtifactWriter artifactWriter;
  private final Redactor redactor;
  private final AttemptTrace trace;
  // By name: a handler that stores a name twice keeps the last file, as the store does.
  private final Map<String, ArtifactRef> artifacts =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile long lastProgressAt;
  private volatile double lastFraction = -1;

  AttemptContext(
      TaskCommand command,
      TaskSpec spec,
      Consumer<JobEvent.Progress> progressSink,
      long progressIntervalMillis,
      Clock clock) {
    this(
        command,
        spec,
        progressSink,
        progressIntervalMillis,
        clock,
        null,
        Redactor.forJob(spec, command == null ? null : command.params()),
        AttemptTrace.none());
  }

  AttemptContext(
      TaskCommand command,
      TaskSpec spec,
      Consumer<JobEvent.Progress> progressSink,
      long progressIntervalMillis,
      Clock clock,
      ArtifactWriter artifactWriter,
      Redactor redactor,
      AttemptTrace trace) {
    this.artifactWriter = artifactWriter;
    this.redactor = redactor;
    this.trace = trace;
    this.command = command;
    this.spec = spec;
    this.progressSink = progressSink;
    this.progressIntervalMillis = progressIntervalMillis;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  @Override
  public UUID jobId() {
    return command.jobId();
  }

  @Override
  public int attempt() {
    return command.attempt();
  }

  @Override
  public String idempotencyKey() {
    return command.idempotencyKey() != null ? command.idempotencyKey() : command.jobId().toString();
  }

  @Override
  public JsonNode params() {
    return command.params();
  }

  @Override
  public String owner() {
    return command.owner();
  }

  @Override
  public TaskSpec spec() {
    return spec;
  }

  @Override
  public void progress(double fraction, String message) {
    double clamped = Math.max(0, Math.min(1, fraction));
    long now = clock.millis();
    // Rate-limited: handlers may call this in tight loops.
    if (now - lastProgressAt < progressIntervalMillis || clamped == lastFraction) {
      return;
    }
    lastProgressAt = now;
    lastFraction = clamped;
    progressSink.accept(new JobEvent.Progress(clamped, redactor.text(message)));
  }

  @Override
  public boolean isCancelled() {
    return stopReason.get() != null;
  }

  @Override
  public Instant deadline() {
    return spec == null ? Instant.MAX : startedAt.plus(spec.timeout());
  }

  @Override
  public void step(String name) {
    String shown = redactor.text(name);
    trace.step(shown);
    LOG.infof("job=%s attempt=%d step=%s", command.jobId(), command.attempt(), shown);
    double fraction = Math.max(0, lastFraction);
    lastProgressAt = clock.millis();
    progressSink.accept(new JobEvent.Progress(fraction, shown));
  }

  @Override
  public Map<String, Object> lineage() {
    Map<String, Object> lineage = new LinkedHashMap<>();
    if (command.lineage() != null && command.lineage().isObject()) {
      command
          .lineage()
          .fields()
          .forEachRemaining(f -> lineage.put(f.getKey(), plain(f.getValue())));
    }
    lineage.put("jobId", command.jobId().toString());
    lineage.put("task", command.task());
    lineage.put("taskVersion", command.taskVersion());
    lineage.put("attempt", command.attempt());
    lineage.put("idempotencyKey", idempotencyKey());
    return lineage;
  }

  private static Object plain(JsonNode value) {
    return Wire.mapper().convertValue(value, Object.class);
  }

  @Override
  public ArtifactRef artifact(String name, String contentType, ArtifactContent content)
      throws IOException {
    if (artifactWriter == null) {
      throw new IllegalStateException("this context has no artifact store");
    }
    ArtifactRef stored = artifactWriter.write(command.jobId(), name, contentType, content);
    artifacts.put(name, stored);
    return stored;
  }

  /** What the handler stored, in the order it first stored each name. */
  List<ArtifactRef> artifacts() {
    synchronized (artifacts) {
      return List.copyOf(artifacts.values());
    }
  }

  /** Asks the handler to stop; the first reason wins. */
  void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  String stopReason() {
    return stopReason.get();
  }

  Redactor redactor() {
    return redactor;
  }

  AttemptTrace trace() {
    return trace;
  }

  Instant now() {
    return clock.instant();
  }
}
