package org.kfm.tasks.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run as its own JVM from the Maven Central
 * artifacts on this module's build classpath. Being a separate process it can be stopped and
 * started again on the same port and data, as a fault test needs.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private Process process;

  private KafkaBroker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats a new broker under {@code dir} on free ports and starts it. */
  public static KafkaBroker start(Path dir) {
    KafkaBroker broker = new KafkaBroker(dir, FreePorts.next(), FreePorts.next());
    broker.format();
    broker.startProcess();
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return dir.resolve("broker.log");
  }

  private Path config() {
    return dir.resolve("server.properties");
  }

  private void format() {
    try {
      Files.createDirectories(dir);
      String props =
          String.join(
              "\n",
              "process.roles=broker,controller",
              "node.id=1",
              "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
              "listeners=PLAINTEXT://127.0.0.1:"
                  + port
                  + ",CONTROLLER://127.0.0.1:"
                  + controllerPort,
              "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
              "controller.listener.names=CONTROLLER",
              "inter.broker.listener.name=PLAINTEXT",
              "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
              "log.dirs=" + dir.resolve("data"),
              "num.partitions=4",
              "offsets.topic.replication.factor=1",
              "offsets.topic.num.partitions=4",
              "transaction.state.log.replication.factor=1",
              "transaction.state.log.min.isr=1",
              "share.coordinator.state.topic.replication.factor=1",
              "share.coordinator.state.topic.min.isr=1",
              "group.initial.rebalance.delay.ms=0",
              "auto.create.topics.enable=true",
              "log.flush.interval.messages=9223372036854775807",
              "");
      Files.writeString(config(), props);
      run(
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "--standalone",
              "-t",
              clusterId(),
              "-c",
              config().toString()),
          Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clusterId() {
    // A Kafka cluster id is 16 random bytes in URL-safe base64 without padding.
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /** Starts (or restarts) the broker process and waits until it accepts connections. */
  public synchronized void startProcess() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = javaCommand();
    command.add("kafka.Kafka");
    command.add(config().toString());
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!FreePorts.isListening(port)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "Kafka broker did not start within " + START_TIMEOUT + "; see " + logFile());
      }
      sleep(100);
    }
  }

  /** Stops the broker the way an operator would (SIGTERM) and waits for it to exit. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  private void run(List<String> mainAndArgs, Duration timeout) {
    List<String> command = javaCommand();
    command.addAll(mainAndArgs);
    try {
      Process tool =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
      if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        tool.destroyForcibly();
        throw new IllegalStateException(mainAndArgs.get(0) + " timed out; see " + logFile());
      }
      if (tool.exitValue() != 0) {
        throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + logFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(brokerClasspath());
    return command;
  }

  static String brokerClasspath() {
    try (InputStream in = KafkaBroker.class.getResourceAsStream("/kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("kafka-broker.classpath missing: build test-support first");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
