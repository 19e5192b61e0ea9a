package org.kfm.tasks.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A packaged service run as its own process, the way it runs in production. */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final Map<String, String> env;
  private final int port;
  private final Path log;
  private String heap = "256m";
  private List<String> jvmOptions = List.of();
  private Process process;

  public ServiceProcess(String name, Path jar, Map<String, String> env, int port, Path log) {
    this.name = name;
    this.jar = jar;
    this.env = Map.copyOf(env);
    this.port = port;
    this.log = log;
  }

  /** The maximum heap the process starts with, as for -Xmx (e.g. {@code 192m}). */
  public ServiceProcess heap(String maxHeap) {
    this.heap = maxHeap;
    return this;
  }

  /** Further JVM options, e.g. {@code -XX:TieredStopAtLevel=1}. */
  public ServiceProcess jvmOptions(String... options) {
    this.jvmOptions = List.of(options);
    return this;
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Starts the process and waits until its readiness check answers UP. */
  public ServiceProcess start(Duration timeout) {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: package the services first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start; see " + log + "\n" + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            name + " not ready within " + timeout + "; see " + log + "\n" + tail());
      }
      sleep(200);
    }
    return this;
  }

  private boolean ready() {
    return readiness() == 200;
  }

  /** The HTTP status of the readiness check, or -1 when the process does not answer. */
  public int readiness() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The sum over all label sets of a Prometheus counter the process exposes at /q/metrics. */
  public double counterTotal(String name) {
    return counterTotal(name, "");
  }

  /**
   * The sum of a counter's series whose label text contains {@code label} (e.g. {@code
   * path="loop"}), or -1 when the process does not answer.
   */
  public double counterTotal(String name, String label) {
    String metrics;
    try {
      metrics =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(baseUrl() + "/q/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    double total = 0;
    for (String line : metrics.split("\n")) {
      boolean series = line.startsWith(name + "{") || line.startsWith(name + " ");
      if (series && line.contains(label)) {
        // An exemplar (" # {trace_id=...} value timestamp") may follow the sample's value.
        int exemplar = line.indexOf(" # ");
        String sample = exemplar < 0 ? line : line.substring(0, exemplar);
        total += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** The last lines of the log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** SIGTERM, then wait for a graceful exit. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(45, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL: the process gets no chance to clean up. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
