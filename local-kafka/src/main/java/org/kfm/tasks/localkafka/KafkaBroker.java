package org.kfm.tasks.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run as its own JVM from the Maven Central
 * artifacts this module resolves. Its data lives under one folder, so it survives restarts; being a
 * separate process it can be stopped and started again on the same port, as fault tests need.
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

  /** A broker whose data and logs live under {@code dir}; nothing is started yet. */
  public static KafkaBroker at(Path dir, int port, int controllerPort) {
    return new KafkaBroker(dir, port, controllerPort);
  }

  /** Formats a new broker under {@code dir} on free ports and starts it as a child process. */
  public static KafkaBroker start(Path dir) {
    KafkaBroker broker = at(dir, FreePorts.next(), FreePorts.next());
    broker.formatIfNeeded();
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

  private Path dataDir() {
    return dir.resolve("data");
  }

  /** Writes the configuration and, on first use of the folder, formats the storage. */
  public void formatIfNeeded() {
    try {
      Files.createDirectories(dir);
      Files.writeString(config(), properties());
      if (Files.exists(dataDir().resolve("meta.properties"))) {
        return;
      }
      List<String> command = javaCommand();
      command.addAll(
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "--standalone",
              "-t",
              clusterId(),
              "-c",
              config().toString()));
      Process tool =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
      if (!tool.waitFor(60, TimeUnit.SECONDS)) {
        tool.destroyForcibly();
        throw new IllegalStateException("formatting Kafka storage timed out; see " + logFile());
      }
      if (tool.exitValue() != 0) {
        throw new IllegalStateException("formatting Kafka storage failed; see " + logFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String properties() {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir().toAbsolutePath(),
        "num.partitions=4",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=true",
        "");
  }

  private static String clusterId() {
    // 16 random bytes in URL-safe base64. The storage tool's argument parser takes a value that
    // starts with "-" for an option, even after "=", so draw again until it does not.
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  /**
   * The command that runs the broker; {@code prefix} (e.g. {@code setsid}) lets a launcher detach
   * it from its own process group.
   */
  public List<String> command(List<String> prefix) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(javaCommand());
    command.add("kafka.Kafka");
    command.add(config().toAbsolutePath().toString());
    return command;
  }

  /** Starts (or restarts) the broker as a child process and waits until it accepts connections. */
  public synchronized void startProcess() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          new ProcessBuilder(command(List.of()))
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

  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(classpath());
    return command;
  }

  /** The broker's classpath, resolved by this module's build. */
  public static String classpath() {
    try (InputStream in = KafkaBroker.class.getResourceAsStream("/kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("kafka-broker.classpath missing: build local-kafka first");
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
