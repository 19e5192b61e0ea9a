package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfm.tasks.contracts.JobEvent.JobError;

class RedactorTest {
  private static final String SECRET = "s3cr3t-Canary-7f1e";

  private static final TaskSpec SPEC =
      Specs.load(
          Specs.VALID.replace(
              "security: { required_role: user }",
              "security: { required_role: user, redact: [upstream_pin, /nested/pin] }"));

  private static JsonNode json(String text) {
    return Wire.fromJson(text, JsonNode.class);
  }

  @Test
  void paramsLoseTheSpecsFieldsByNameAtAnyDepthAndByPointer() {
    JsonNode params =
        json(
            """
            {"text":"hello","upstream_pin":"%s",
             "nested":{"pin":"1234567","other":{"upstream_pin":42}},
             "list":[{"pin":"7654321"}]}"""
                .formatted(SECRET));

    JsonNode redacted = Redactor.of(SPEC).params(params);

    assertThat(redacted.path("text").asText()).isEqualTo("hello");
    assertThat(redacted.path("upstream_pin").asText()).isEqualTo(Redactor.MASK);
    assertThat(redacted.at("/nested/pin").asText()).isEqualTo(Redactor.MASK);
    assertThat(redacted.at("/nested/other/upstream_pin").asText()).isEqualTo(Redactor.MASK);
    // A pointer names one place only.
    assertThat(redacted.at("/list/0/pin").asText()).isEqualTo("7654321");
    assertThat(params.path("upstream_pin").asText()).as("input untouched").isEqualTo(SECRET);
  }

  @Test
  void fieldsNamedLikeCredentialsAreRedactedWhateverTheSpecSays() {
    JsonNode params =
        json(
            "{\"auth_token\":\"a\",\"db_password\":\"b\",\"apiKey\":\"c\",\"client_secret\":\"d\","
                + "\"office\":\"TOP\"}");

    JsonNode redacted = Redactor.patternsOnly().params(params);

    assertThat(redacted.path("auth_token").asText()).isEqualTo(Redactor.MASK);
    assertThat(redacted.path("db_password").asText()).isEqualTo(Redactor.MASK);
    assertThat(redacted.path("apiKey").asText()).isEqualTo(Redactor.MASK);
    assertThat(redacted.path("client_secret").asText()).isEqualTo(Redactor.MASK);
    assertThat(redacted.path("office").asText()).isEqualTo("TOP");
  }

  @Test
  void aJobsRedactedValuesAreMaskedWhereverTheyAppearInText() {
    Redactor redactor =
        Redactor.forJob(SPEC, json("{\"upstream_pin\":\"%s\",\"text\":\"hi\"}".formatted(SECRET)));

    String echoed = redactor.text("upstream said: invalid pin " + SECRET + " (try again)");
    Redactor withSlash = Redactor.forJob(SPEC, json("{\"upstream_pin\":\"pin/Canary+77\"}"));
    String encoded = withSlash.text("GET /x?pin=pin%2FCanary%2B77&y=1");

    assertThat(echoed).isEqualTo("upstream said: invalid pin [REDACTED] (try again)");
    assertThat(echoed).doesNotContain(SECRET);
    assertThat(redactor.text("the text param hi stays")).isEqualTo("the text param hi stays");
    assertThat(encoded).doesNotContain("Canary");
  }

  @Test
  void shortValuesAreMaskedInParamsButNotHuntedInText() {
    Redactor redactor = Redactor.forJob(SPEC, json("{\"upstream_pin\":\"42\"}"));

    assertThat(redactor.params(json("{\"upstream_pin\":\"42\"}")).path("upstream_pin").asText())
        .isEqualTo(Redactor.MASK);
    assertThat(redactor.text("42 tiles done")).isEqualTo("42 tiles done");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Authorization: Bearer abc.def-ghi                     | Authorization: Bearer [REDACTED]
          authorization=Basic dXNlcjpwYXNz                       | authorization=Basic [REDACTED]
          sent header Bearer eyJhbGciOi                          | sent header Bearer [REDACTED]
          login failed password=hunter22 for bob                 | login failed password=[REDACTED] for bob
          GET https://x.org/a?token=abc123&page=2               | GET https://x.org/a?token=[REDACTED]&page=2
          GET https://x.org/a?api_key=abc123                    | GET https://x.org/a?api_key=[REDACTED]
          GET https://x.org/t/1/2/3.png?access_token=pk.abc     | GET https://x.org/t/1/2/3.png?access_token=[REDACTED]
          GET https://x.org/a?key=AIzaSyA1&z=1                  | GET https://x.org/a?key=[REDACTED]&z=1
          s3 https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F2026&X-Amz-Signature=f00d | s3 https://b.s3.amazonaws.com/k?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]
          key id AKIAIOSFODNN7EXAMPLE leaked                     | key id [REDACTED] leaked
          aws_secret_access_key = wJalrXUtnFEMI/K7MDENG          | aws_secret_access_key = [REDACTED]
          connect to postgres://app:pa55word@db:5432/kfm         | connect to postgres://[REDACTED]@db:5432/kfm
          body {"error":"bad","api_key":"two words"}             | body {"error":"bad","api_key":"[REDACTED]"}
          token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.sig_1-x  | token [REDACTED]
          HTTP 500 from http://127.0.0.1:8089/gridpoints/TOP/31,80/forecast | HTTP 500 from http://127.0.0.1:8089/gridpoints/TOP/31,80/forecast
          job=1 idempotencyKey=abc tokens=5 secretary=jane       | job=1 idempotencyKey=abc tokens=5 secretary=jane
          """)
  void credentialShapedTextIsMasked(String text, String expected) {
    assertThat(Redactor.patternsOnly().text(text)).isEqualTo(expected);
  }

  @Test
  void aParkedCommandLosesItsTasksRedactedParamsAndTextLosesCredentials() {
    TaskCatalog catalog = TaskCatalog.fromClasspath();
    String command =
        "{\"jobId\":\"%s\",\"task\":\"ingest.noaa_forecast\",\"params\":{\"office\":\"TOP\",\"auth_token\":\"%s\"},\"note\":\"again %s\"}"
            .formatted(UUID.randomUUID(), SECRET, SECRET);

    String parked = Redactor.recordValue(command, catalog);

    assertThat(parked).doesNotContain(SECRET).contains("\"office\":\"TOP\"");
    assertThat(Redactor.recordValue("{not json, password=hunter22", catalog))
        .isEqualTo("{not json, password=[REDACTED]");
  }

  @Test
  void maskingTwiceChangesNothing() {
    String once = Redactor.patternsOnly().text("Authorization: Bearer abc token=xyz");

    assertThat(Redactor.patternsOnly().text(once)).isEqualTo(once);
  }

  @Test
  void anEventLosesSecretsInItsErrorProgressAndResultText() {
    Redactor redactor = Redactor.forJob(SPEC, json("{\"upstream_pin\":\"%s\"}".formatted(SECRET)));
    UUID job = UUID.randomUUID();
    JobEvent failed =
        JobEvent.failed(
            job, 2, "w1", Instant.now(), new JobError("UPSTREAM", "said " + SECRET, true, "e-1"));
    JobEvent progress =
        JobEvent.progress(job, 2, "w1", Instant.now(), new JobEvent.Progress(0.5, SECRET));
    JobEvent succeeded =
        JobEvent.succeeded(
            job, 2, "w1", Instant.now(), json("{\"url\":\"https://x/?token=abc\",\"n\":3}"));

    assertThat(Wire.toJson(redactor.event(failed))).doesNotContain(SECRET).contains("e-1");
    assertThat(redactor.event(failed).error().code()).isEqualTo("UPSTREAM");
    assertThat(Wire.toJson(redactor.event(progress))).doesNotContain(SECRET);
    assertThat(redactor.event(succeeded).result().path("url").asText())
        .isEqualTo("https://x/?token=[REDACTED]");
    assertThat(redactor.event(succeeded).result().path("n").asInt()).isEqualTo(3);
  }

  @Test
  void aLoggedStackTraceKeepsItsFramesAndLosesItsSecrets() {
    Redactor redactor = Redactor.forJob(SPEC, json("{\"upstream_pin\":\"%s\"}".formatted(SECRET)));
    IOException cause = new IOException("server echoed " + SECRET);
    IllegalStateException failure = new IllegalStateException("fetch failed", cause);

    Throwable redacted = redactor.throwable(failure);
    StringWriter printed = new StringWriter();
    redacted.printStackTrace(new PrintWriter(printed));

    assertThat(printed.toString())
        .doesNotContain(SECRET)
        .contains("java.lang.IllegalStateException: fetch failed")
        .contains("Caused by: java.io.IOException: server echoed [REDACTED]")
        .contains("RedactorTest.aLoggedStackTraceKeepsItsFramesAndLosesItsSecrets");
  }
}
