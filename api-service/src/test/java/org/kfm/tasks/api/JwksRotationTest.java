package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.testing.TestKeys;

/**
 * Keys from the identity provider's JWKS URL, rotated while the service runs: a token signed by a
 * key published after start is accepted without a restart, and one signed by a withdrawn key is
 * not. Its own application start (the key source differs from every other test's).
 */
@QuarkusTest
@TestProfile(JwksRotationTest.FromJwks.class)
class JwksRotationTest {
  private static final String DIR_PROPERTY = "kfm.test.jwks-dir";

  public static class FromJwks implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Refresh at once when a token names an unknown kid, so the test need not wait a minute.
      return Map.of("smallrye.jwt.jwks.forced-refresh-interval", "0");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(JwksServer.class));
    }
  }

  /** A JDK HTTP server publishing whatever JWK set the test last wrote to its folder. */
  public static class JwksServer implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
      try {
        Path dir = Files.createTempDirectory(Path.of("target"), "jwks-");
        System.setProperty(DIR_PROPERTY, dir.toAbsolutePath().toString());
        Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
            "/jwks.json",
            exchange -> {
              byte[] body = Files.readAllBytes(dir.resolve("jwks.json"));
              exchange.getResponseHeaders().add("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            });
        server.start();
        // Takes precedence over mp.jwt.verify.publickey.location, which the shared stack sets.
        return Map.of(
            "smallrye.jwt.verify.key.location",
            "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void stop() {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  private static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static void publish(Map<String, KeyPair> keys) throws Exception {
    List<org.jose4j.jwk.JsonWebKey> jwks = new ArrayList<>();
    for (Map.Entry<String, KeyPair> key : keys.entrySet()) {
      RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key.getValue().getPublic());
      jwk.setKeyId(key.getKey());
      jwk.setAlgorithm("RS256");
      jwk.setUse("sig");
      jwks.add(jwk);
    }
    Files.writeString(
        Path.of(System.getProperty(DIR_PROPERTY)).resolve("jwks.json"),
        new JsonWebKeySet(jwks).toJson(),
        StandardCharsets.UTF_8);
  }

  private static String token(String kid, KeyPair key, String user) {
    return Jwt.issuer(TestKeys.ISSUER)
        .audience(TestKeys.AUDIENCE)
        .upn(user)
        .groups(Set.of("analyst"))
        .expiresAt(Instant.now().plus(Duration.ofMinutes(10)))
        .jws()
        .keyId(kid)
        .sign(key.getPrivate());
  }

  private static int listAs(String token) {
    return given().header("Authorization", "Bearer " + token).get("/api/v1/jobs").statusCode();
  }

  @Test
  void aKeyPublishedAfterStartIsTrustedAndAWithdrawnOneIsNot() throws Exception {
    KeyPair first = newKey();
    KeyPair second = newKey();
    publish(Map.of("first", first));
    org.assertj.core.api.Assertions.assertThat(listAs(token("first", first, "jwks-a")))
        .isEqualTo(200);
    // Not yet published: refused, though well signed.
    org.assertj.core.api.Assertions.assertThat(listAs(token("second", second, "jwks-b")))
        .isEqualTo(401);

    // The provider rotates: the second key in, the first out.
    publish(Map.of("second", second));

    // The key set is fetched again when a token names a kid it does not hold; on a loaded machine
    // that fetch may still be under way for the first such request, so a few are allowed.
    String rotated = token("second", second, "jwks-c");
    Instant until = Instant.now().plusSeconds(10);
    int status = listAs(rotated);
    while (status != 200 && Instant.now().isBefore(until)) {
      Thread.sleep(200);
      status = listAs(rotated);
    }
    org.assertj.core.api.Assertions.assertThat(status).isEqualTo(200);
    org.assertj.core.api.Assertions.assertThat(listAs(token("first", first, "jwks-d")))
        .isEqualTo(401);
  }
}
