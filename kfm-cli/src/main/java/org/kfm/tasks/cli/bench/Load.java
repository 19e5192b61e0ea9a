package org.kfm.tasks.cli.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Drives the REST API the way clients do: closed-loop clients, open-loop rates, batches. */
final class Load {
  private static final String NOOP = "{\"task\":\"system.noop\",\"params\":{}}";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String api;
  private final String token;

  Load(String api, String token) {
    this.api = api;
    this.token = token;
  }

  /** What a load run did: requests sent, refused, wall time, per-request latencies (ms). */
  record Result(int sent, int refused, double seconds, List<Double> latenciesMs) {
    /** Jobs the API took; refused requests (503 when it sheds load) created none. */
    int accepted() {
      return sent - refused;
    }

    double percentile(double q) {
      List<Double> sorted = new ArrayList<>(latenciesMs);
      Collections.sort(sorted);
      return sorted.isEmpty()
          ? Double.NaN
          : sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
    }
  }

  private HttpRequest single() {
    return HttpRequest.newBuilder(URI.create(api + "/api/v1/jobs"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(NOOP))
        .build();
  }

  private HttpRequest batch(int size) {
    StringBuilder body = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < size; i++) {
      body.append(i == 0 ? "" : ",").append(NOOP);
    }
    body.append("]}");
    return HttpRequest.newBuilder(URI.create(api + "/api/v1/jobs:batch"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  /** {@code clients} threads each send one job per request, back to back, {@code total} in all. */
  Result closedLoop(int total, int clients) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    double seconds =
        inParallel(
            clients,
            () -> {
              while (next.getAndIncrement() < total) {
                long start = System.nanoTime();
                try {
                  HttpResponse<Void> response =
                      http.send(single(), HttpResponse.BodyHandlers.discarding());
                  if (response.statusCode() != 202) {
                    refused.incrementAndGet();
                  }
                } catch (Exception e) {
                  refused.incrementAndGet();
                }
                latencies.add((System.nanoTime() - start) / 1e6);
              }
            });
    return new Result(total, refused.get(), seconds, latencies);
  }

  /** One job per request at a fixed offered rate, whatever the responses take (open loop). */
  Result openLoop(int perSecond, Duration duration) throws Exception {
    int total = (int) (perSecond * duration.toMillis() / 1000);
    long intervalNanos = 1_000_000_000L / perSecond;
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger refused = new AtomicInteger();
    long begin = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = begin + i * intervalNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      long start = System.nanoTime();
      inFlight.add(
          http.sendAsync(single(), HttpResponse.BodyHandlers.discarding())
              .handle(
                  (response, failure) -> {
                    if (failure != null || response.statusCode() != 202) {
                      refused.incrementAndGet();
                    }
                    latencies.add((System.nanoTime() - start) / 1e6);
                    return null;
                  }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    return new Result(total, refused.get(), (System.nanoTime() - begin) / 1e9, latencies);
  }

  /** {@code total} jobs in batches of {@code size}, {@code clients} batches in flight. */
  Result batches(int total, int size, int clients) throws Exception {
    int requests = (total + size - 1) / size;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    double seconds =
        inParallel(
            clients,
            () -> {
              int i;
              while ((i = next.getAndIncrement()) < requests) {
                int count = Math.min(size, total - i * size);
                long start = System.nanoTime();
                HttpResponse<Void> response =
                    http.send(batch(count), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 202) {
                  refused.addAndGet(count);
                }
                latencies.add((System.nanoTime() - start) / 1e6);
              }
            });
    return new Result(total, refused.get(), seconds, latencies);
  }

  /** One client's loop; it takes its work from counters it shares with the others. */
  @FunctionalInterface
  private interface Client {
    void run() throws Exception;
  }

  /** Runs {@code clients} copies of {@code client} at once; returns the wall time in seconds. */
  private static double inParallel(int clients, Client client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long begin = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        futures.add(
            pool.submit(
                () -> {
                  client.run();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
      return (System.nanoTime() - begin) / 1e9;
    } finally {
      // On failure too: the pool's threads would otherwise keep the command running.
      pool.shutdownNow();
    }
  }
}
