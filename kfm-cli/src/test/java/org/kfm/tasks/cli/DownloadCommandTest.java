package org.kfm.tasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.tasks.cli.stack.LocalKeys;
import org.kfm.tasks.cli.stack.StackLayout;

/** {@code kfm download} against a small HTTP server that plays the API and an artifact store. */
class DownloadCommandTest {
  private static final byte[] CSV = "run,loss\n1,2.5\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BIG = new byte[2 * 1024 * 1024 + 17];
  private static final byte[] TAMPERED = "not what was listed".getBytes(StandardCharsets.UTF_8);

  static {
    new Random(3).nextBytes(BIG);
  }

  @TempDir Path root;
  @TempDir Path out;

  private HttpServer server;
  private String api;
  // Path -> the Authorization header it was asked with ("" for none).
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  private record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    Assumptions.assumeTrue(
        System.getenv("KFM_STATE_DIR") == null, "the keys would go to the real state folder");
    LocalKeys.ensure(StackLayout.fromEnvironment(root, Map.of()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    api = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String item(String job, String name, byte[] listedContent) {
    return """
        {"name":"%s","contentType":"text/csv","size":%d,"sha256":"%s",
         "createdAt":"2026-11-30T12:00:00Z",
         "links":{"download":"/api/v1/jobs/%s/artifacts/%s"}}"""
        .formatted(name, listedContent.length, sha256(listedContent), job, name);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    seen.put(path, auth == null ? "" : auth);
    switch (path) {
      case "/api/v1/jobs/good/artifacts" ->
          send(
              exchange,
              200,
              ("{\"items\":["
                      + String.join(
                          ",",
                          item("good", "a.csv", CSV),
                          item("good", "big.bin", BIG),
                          item("good", "moved.csv", CSV))
                      + "]}")
                  .getBytes(StandardCharsets.UTF_8));
      case "/api/v1/jobs/bad/artifacts" ->
          send(
              exchange,
              200,
              ("{\"items\":[" + item("bad", "a.csv", CSV) + "]}").getBytes(StandardCharsets.UTF_8));
      case "/api/v1/jobs/good/artifacts/a.csv", "/store/moved.csv" -> send(exchange, 200, CSV);
      case "/api/v1/jobs/good/artifacts/big.bin" -> send(exchange, 200, BIG);
      case "/api/v1/jobs/bad/artifacts/a.csv" -> send(exchange, 200, TAMPERED);
      case "/api/v1/jobs/good/artifacts/moved.csv" -> {
        exchange.getResponseHeaders().add("Location", "/store/moved.csv?X-Amz-Signature=s");
        exchange.sendResponseHeaders(307, -1);
        exchange.close();
      }
      default ->
          send(
              exchange,
              404,
              "{\"title\":\"Not found\",\"status\":404,\"detail\":\"no job\"}"
                  .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }

  private Run kfm(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    all.addAll(List.of("--api", api));
    var commandLine = Kfm.commandLine();
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    commandLine.setOut(new PrintWriter(stdout, true));
    commandLine.setErr(new PrintWriter(stderr, true));
    int exit = commandLine.execute(all.toArray(String[]::new));
    return new Run(exit, stdout.toString(), stderr.toString());
  }

  private List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aNamedArtifactIsWrittenToTheGivenFileAndReported() throws IOException {
    Path target = out.resolve("losses.csv");

    Run run = kfm("download", "good", "a.csv", "-o", target.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(target).hasBinaryContent(CSV);
    assertThat(filesIn(out)).containsExactly("losses.csv");
    assertThat(run.out()).contains("a.csv", CSV.length + " bytes", "sha256 " + sha256(CSV));
  }

  @Test
  void withoutANameEveryArtifactGoesIntoTheFolderAndARedirectLosesTheToken() throws IOException {
    Path dir = out.resolve("job-good");

    Run run = kfm("download", "good", "-o", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(filesIn(dir)).containsExactly("a.csv", "big.bin", "moved.csv");
    assertThat(dir.resolve("big.bin")).hasBinaryContent(BIG);
    assertThat(dir.resolve("moved.csv")).hasBinaryContent(CSV);
    assertThat(run.out().lines()).hasSize(3);
    assertThat(seen.get("/api/v1/jobs/good/artifacts/moved.csv")).startsWith("Bearer ");
    assertThat(seen.get("/store/moved.csv")).isEmpty();
  }

  @Test
  void aMismatchedDownloadFailsLeavingNoPartAndTheOldFileAlone() throws IOException {
    Path target = out.resolve("a.csv");
    Files.writeString(target, "the copy from yesterday");

    Run run = kfm("download", "bad", "a.csv", "-o", target.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("sha256 mismatch", sha256(CSV), sha256(TAMPERED));
    assertThat(target).hasContent("the copy from yesterday");
    assertThat(filesIn(out)).containsExactly("a.csv");
  }

  @Test
  void aMismatchIntoAFolderLeavesNothingThere() throws IOException {
    Run run = kfm("download", "bad", "-o", out.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(filesIn(out)).isEmpty();
  }

  @Test
  void aNameTheJobDoesNotHaveAndAnUnknownJobAreErrors() {
    Run missing = kfm("download", "good", "nope.csv", "-o", out.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("has no artifact nope.csv", "a.csv");

    Run unknown = kfm("download", "nobody");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404");
  }
}
