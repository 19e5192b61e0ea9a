package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.kfm.tasks.api.SucceededJobs.awaitStatus;
import static org.kfm.tasks.api.SucceededJobs.emit;
import static org.kfm.tasks.api.SucceededJobs.refOf;
import static org.kfm.tasks.api.SucceededJobs.store;
import static org.kfm.tasks.api.SucceededJobs.submitSimulation;
import static org.kfm.tasks.api.SucceededJobs.succeeded;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfm.tasks.api.admission.AdmissionGate;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.contracts.ArtifactRef;
import org.kfm.tasks.testing.KafkaTestClient;

/**
 * Downloads of a real file in the filesystem store (the test profile keeps it under
 * target/test-artifacts): whole, conditional, ranged, refused.
 */
@QuarkusTest
class ArtifactDownloadTest {
  private static final String OWNER = "olga";
  private static final String NAME = "losses.csv";
  private static final String SECRET = "secret-outside-the-job-" + UUID.randomUUID();
  // Larger than the copy buffer, so a download takes several writes.
  private static final byte[] CONTENT = new byte[200_003];

  static {
    new Random(7).nextBytes(CONTENT);
  }

  // One job with one artifact for the whole class, made by the first test that runs.
  private static UUID job;
  private static ArtifactRef ref;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "kfm.artifacts.dir")
  Path dir;

  @Inject ArtifactStore artifacts;

  @Inject MeterRegistry meters;

  @Inject AdmissionGate gate;

  @BeforeEach
  synchronized void aJobWithAnArtifact() throws IOException {
    if (job != null) {
      return;
    }
    UUID id = submitSimulation(OWNER);
    ArtifactRef losses = refOf(id, NAME, "text/csv", CONTENT);
    store(artifacts, losses, CONTENT);
    // Files a name climbing out of the job's folder would reach.
    Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(dir.resolve("jobs").resolve("secret.txt"), SECRET);
    Files.writeString(dir.resolve("secret.txt"), SECRET);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      emit(kafka, succeeded(id, 1, List.of(losses)));
    }
    awaitStatus(id, "succeeded");
    ref = losses;
    job = id;
  }

  private static String url(String name) {
    return "/api/v1/jobs/" + job + "/artifacts/" + name;
  }

  private static Response download(String token, String... headerPairs) {
    var request = given().header("Authorization", token);
    for (int i = 0; i < headerPairs.length; i += 2) {
      request.header(headerPairs[i], headerPairs[i + 1]);
    }
    return request.get(url(NAME));
  }

  private double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void theOwnerDownloadsTheWholeFileWithItsHeaders() {
    double served = counter("kfm.artifacts.downloads", "outcome", "served");
    double bytes = counter("kfm.artifacts.download.bytes");

    Response response = download(Tokens.analyst(OWNER));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.asByteArray()).isEqualTo(CONTENT);
    assertThat(response.header("Content-Type")).startsWith("text/csv");
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(CONTENT.length));
    assertThat(response.header("ETag")).isEqualTo("\"" + ref.sha256() + "\"");
    assertThat(response.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"" + NAME + "\"");
    assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(counter("kfm.artifacts.downloads", "outcome", "served")).isEqualTo(served + 1);
    assertThat(counter("kfm.artifacts.download.bytes")).isEqualTo(bytes + CONTENT.length);
  }

  @Test
  void aClientWithTheCurrentCopyGets304WithoutABody() {
    Response response =
        download(Tokens.analyst(OWNER), "If-None-Match", "\"" + ref.sha256() + "\"");

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.asByteArray()).isEmpty();
    assertThat(response.header("ETag")).isEqualTo("\"" + ref.sha256() + "\"");
    assertThat(download(Tokens.analyst(OWNER), "If-None-Match", "\"stale\"").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aRangeGets206WithExactlyThoseBytes() {
    int total = CONTENT.length;
    assertPart("bytes=10-99", 10, 99);
    assertPart("bytes=150000-", 150_000, total - 1);
    assertPart("bytes=-1000", total - 1000, total - 1);
    assertPart("bytes=199999-500000", 199_999, total - 1);
  }

  private void assertPart(String range, int first, int last) {
    Response response = download(Tokens.analyst(OWNER), "Range", range);

    assertThat(response.statusCode()).as(range).isEqualTo(206);
    assertThat(response.header("Content-Range"))
        .isEqualTo("bytes " + first + "-" + last + "/" + CONTENT.length);
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(last - first + 1));
    assertThat(response.asByteArray())
        .as(range)
        .isEqualTo(Arrays.copyOfRange(CONTENT, first, last + 1));
  }

  @Test
  void aRangeBeyondTheFileIs416AndSeveralRangesGetTheWholeFile() {
    Response beyond = download(Tokens.analyst(OWNER), "Range", "bytes=" + CONTENT.length + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + CONTENT.length);

    Response several = download(Tokens.analyst(OWNER), "Range", "bytes=0-1,5-6");
    assertThat(several.statusCode()).isEqualTo(200);
    assertThat(several.asByteArray()).isEqualTo(CONTENT);
  }

  @Test
  void anotherUserSeesNeitherListNorFileAndAnAdminSeesBoth() {
    given()
        .header("Authorization", Tokens.analyst("mallory"))
        .get("/api/v1/jobs/" + job + "/artifacts")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    assertThat(download(Tokens.analyst("mallory")).statusCode()).isEqualTo(404);

    given()
        .header("Authorization", Tokens.admin())
        .get("/api/v1/jobs/" + job + "/artifacts")
        .then()
        .statusCode(200)
        .body("items.name", contains(NAME));
    Response admin = download(Tokens.admin());
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.asByteArray()).isEqualTo(CONTENT);
  }

  @Test
  void aNameTheJobDoesNotHaveIs404AndNoTokenIs401() {
    given()
        .header("Authorization", Tokens.analyst(OWNER))
        .get(url("missing.csv"))
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().get(url(NAME)).then().statusCode(401);
  }

  @Test
  void downloadsHavePlacesOfTheirOwnSoSlowOnesNeverShedOtherRequests() {
    int held = 0;
    try {
      while (gate.tryEnter(AdmissionGate.Kind.DOWNLOAD)) {
        held++;
      }
      assertThat(held).isPositive();
      Response shed = download(Tokens.analyst(OWNER));
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.header("Retry-After")).isNotBlank();
      given()
          .header("Authorization", Tokens.analyst(OWNER))
          .get("/api/v1/jobs/" + job + "/artifacts")
          .then()
          .statusCode(200);
    } finally {
      for (int i = 0; i < held; i++) {
        gate.leave(AdmissionGate.Kind.DOWNLOAD);
      }
    }
    assertThat(download(Tokens.analyst(OWNER)).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "..",
        "../",
        "../secret.txt",
        "../../secret.txt",
        "%2e%2e",
        "%2e%2e%2f",
        "%2e%2e%2fsecret.txt",
        "..%2F..%2Fsecret.txt",
        "a%2Fb",
        "a%5Cb",
        ".hidden",
        "%2E%2E%2F%2E%2E%2Fsecret.txt"
      })
  void aNameThatIsNoPlainFileNameIsRefusedAndReadsNothing(String raw) throws IOException {
    RawResponse response = rawGet(url(raw), Tokens.analyst(OWNER));

    assertThat(response.status()).as(raw).isEqualTo(400);
    assertThat(response.body()).as(raw).doesNotContain(SECRET);
    if (response.status() == 400) {
      assertThat(response.body()).contains("\"field\":\"/name\"");
    }
  }

  private record RawResponse(int status, String body) {}

  /** A request line sent exactly as written: no client normalizes or re-encodes the path. */
  private static RawResponse rawGet(String path, String token) throws IOException {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                  + token
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(text.substring(9, 12));
      return new RawResponse(status, text);
    }
  }
}
