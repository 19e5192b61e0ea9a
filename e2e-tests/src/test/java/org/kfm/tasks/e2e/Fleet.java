package org.kfm.tasks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.kfm.tasks.contracts.Topics;
import org.kfm.tasks.localkafka.FreePorts;
import org.kfm.tasks.localkafka.KafkaBroker;
import org.kfm.tasks.testing.ServiceProcess;
import org.kfm.tasks.testing.TestDatabase;
import org.kfm.tasks.testing.TestKeys;

/**
 * Several api replicas and several worker processes per concurrency class, each a real process, on
 * one broker and one fresh database: the shape a scaled-out deployment has, on one machine.
 */
final class Fleet implements AutoCloseable {
  static final List<String> CLASSES = List.of("cpu-heavy", "io-heavy", "latency-sensitive");
  // Many JVMs start at once on few cores: each waits its turn for a core.
  private static final Duration START = Duration.ofSeconds(300);
  // The C2 compiler's work at start is most of a service's start-up CPU; with nine JVMs on two
  // cores it is what made them slow to become ready, and the paced load needs no peak speed.
  private static final String[] JVM_OPTIONS = {"-XX:TieredStopAtLevel=1"};
  // More partitions than consumers of any group, so every replica gets a share after a rebalance.
  private static final int PARTITIONS = 6;

  final Path dir;
  final KafkaBroker broker;
  final TestDatabase database;
  final TestKeys keys;
  final List<ServiceProcess> apis = new ArrayList<>();
  final Map<String, List<ServiceProcess>> workers = new LinkedHashMap<>();
  private final ExecutorService starter = Executors.newCachedThreadPool();

  private Fleet(Path dir, KafkaBroker broker, TestDatabase database, TestKeys keys) {
    this.dir = dir;
    this.broker = broker;
    this.database = database;
    this.keys = keys;
  }

  /**
   * Starts {@code apiReplicas} api processes and {@code workersPerClass} worker processes for each
   * class (each serving that class only), all at once, and waits until every one is ready. What
   * started is stopped again if any part fails to.
   */
  static Fleet start(
      int apiReplicas,
      int workersPerClass,
      Map<String, String> apiExtra,
      Map<String, String> workerExtra) {
    Path dir;
    try {
      dir = Files.createTempDirectory(Path.of("target"), "fleet-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Fleet fleet =
        new Fleet(
            dir,
            KafkaBroker.start(dir.resolve("kafka")),
            TestDatabase.create("fleet"),
            TestKeys.generate(dir.resolve("keys")));
    try {
      fleet.createTopics();
      fleet.startAll(apiReplicas, workersPerClass, apiExtra, workerExtra);
      return fleet;
    } catch (RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  private void createTopics() {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(Topics.JOB_EVENTS, PARTITIONS, (short) 1));
    CLASSES.forEach(c -> topics.add(new NewTopic("kfm.tasks." + c, PARTITIONS, (short) 1)));
    try (Admin admin = Admin.create(config)) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create the topics", e);
    }
  }

  private void startAll(
      int apiReplicas,
      int workersPerClass,
      Map<String, String> apiExtra,
      Map<String, String> workerExtra) {
    String artifacts = dir.resolve("artifacts").toAbsolutePath().toString();
    Map<String, String> common = new HashMap<>();
    common.put("KFM_KAFKA", broker.bootstrapServers());
    common.put("KFM_DB_URL", database.reactiveUrl());
    common.put("KFM_DB_USER", database.user());
    common.put("KFM_ARTIFACTS_DIR", artifacts);

    // The first api migrates the schema alone; the others would only wait on its lock.
    apis.add(api(1, common, apiExtra).start(START));
    List<Future<ServiceProcess>> starting = new ArrayList<>();
    for (int i = 2; i <= apiReplicas; i++) {
      ServiceProcess api = api(i, common, apiExtra);
      apis.add(api);
      starting.add(starter.submit(() -> api.start(START)));
    }
    for (String cls : CLASSES) {
      List<ServiceProcess> ofClass = new ArrayList<>();
      for (int i = 1; i <= workersPerClass; i++) {
        Map<String, String> env = new HashMap<>(common);
        env.putAll(workerExtra);
        for (String served : CLASSES) {
          env.put(
              "KFM_SERVE_" + served.toUpperCase().replace('-', '_'),
              String.valueOf(served.equals(cls)));
        }
        int port = FreePorts.next();
        env.put("KFM_WORKER_PORT", String.valueOf(port));
        ServiceProcess worker =
            new ServiceProcess(
                    "worker-" + cls + "-" + i,
                    jar("kfm.worker.jar"),
                    env,
                    port,
                    dir.resolve("worker-" + cls + "-" + i + ".log"))
                .heap("128m")
                .jvmOptions(JVM_OPTIONS);
        ofClass.add(worker);
        starting.add(starter.submit(() -> worker.start(START)));
      }
      workers.put(cls, ofClass);
    }
    for (Future<ServiceProcess> start : starting) {
      try {
        start.get(START.toSeconds() + 30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("a fleet process did not start", e);
      }
    }
  }

  private ServiceProcess api(int replica, Map<String, String> common, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(extra);
    int port = FreePorts.next();
    env.put("KFM_API_PORT", String.valueOf(port));
    env.put("KFM_JWT_PUBLIC_KEY", keys.publicKeyPem().toAbsolutePath().toString());
    env.put("KFM_JWT_ISSUER", TestKeys.ISSUER);
    return new ServiceProcess(
            "api-" + replica, jar("kfm.api.jar"), env, port, dir.resolve("api-" + replica + ".log"))
        .heap("192m")
        .jvmOptions(JVM_OPTIONS);
  }

  private static Path jar(String property) {
    return Path.of(System.getProperty(property, "missing-" + property)).normalize();
  }

  /** Every process of the fleet, apis first. */
  List<ServiceProcess> processes() {
    List<ServiceProcess> all = new ArrayList<>(apis);
    workers.values().forEach(all::addAll);
    return all;
  }

  @Override
  public void close() {
    starter.shutdownNow();
    List<ServiceProcess> all = processes();
    // Workers first, then the apis, all at once: each may take its shutdown grace.
    List<Future<?>> stopping = new ArrayList<>();
    ExecutorService stopper = Executors.newCachedThreadPool();
    for (int i = all.size() - 1; i >= 0; i--) {
      ServiceProcess process = all.get(i);
      stopping.add(stopper.submit(process::stop));
    }
    for (Future<?> stop : stopping) {
      try {
        stop.get(90, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The process is killed below.
      }
    }
    stopper.shutdownNow();
    all.forEach(ServiceProcess::kill);
    broker.close();
    database.close();
  }
}
