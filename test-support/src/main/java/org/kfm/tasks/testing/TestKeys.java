package org.kfm.tasks.testing;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * A throwaway RSA key pair made for one test run, so no private key is ever committed. Tokens are
 * signed here the way the identity provider would sign them.
 */
public final class TestKeys {
  public static final String ISSUER = "https://kfm-tasks.local/test";
  public static final String AUDIENCE = "kfm-tasks-api";

  private final KeyPair pair;
  private final Path publicKeyPem;

  private TestKeys(KeyPair pair, Path publicKeyPem) {
    this.pair = pair;
    this.publicKeyPem = publicKeyPem;
  }

  public static TestKeys generate(Path dir) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.createDirectories(dir);
      Path pub = dir.resolve("jwt-public.pem");
      Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      Files.writeString(
          dir.resolve("jwt-private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      return new TestKeys(pair, pub);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a pair written by {@link #generate} (a test runs in another class loader than its stack).
   */
  public static TestKeys load(Path dir) {
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      Path pub = dir.resolve("jwt-public.pem");
      PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(der(pub)));
      PrivateKey privateKey =
          rsa.generatePrivate(new PKCS8EncodedKeySpec(der(dir.resolve("jwt-private.pem"))));
      return new TestKeys(new KeyPair(publicKey, privateKey), pub);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pair of the running test stack. */
  public static TestKeys current() {
    String dir = System.getProperty(TestStack.KEYS_DIR_PROPERTY);
    if (dir == null) {
      throw new IllegalStateException("no test stack is running");
    }
    return load(Path.of(dir));
  }

  private static byte[] der(Path pem) {
    try {
      String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return Base64.getDecoder().decode(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  public Path publicKeyPem() {
    return publicKeyPem;
  }

  public String token(String user, String... roles) {
    return token(user, pair.getPrivate(), ISSUER, Instant.now().plus(Duration.ofHours(1)), roles);
  }

  public static String token(
      String user, PrivateKey key, String issuer, Instant expiresAt, String... roles) {
    return token(user, key, issuer, AUDIENCE, expiresAt, roles);
  }

  public static String token(
      String user,
      PrivateKey key,
      String issuer,
      String audience,
      Instant expiresAt,
      String... roles) {
    return Jwt.issuer(issuer)
        .audience(audience)
        .upn(user)
        .subject(user)
        .groups(Set.of(roles))
        .issuedAt(expiresAt.minus(Duration.ofHours(2)))
        .expiresAt(expiresAt)
        .sign(key);
  }

  public String expiredToken(String user, String... roles) {
    return token(user, pair.getPrivate(), ISSUER, Instant.now().minusSeconds(600), roles);
  }

  public String tokenFromIssuer(String issuer, String user, String... roles) {
    return token(user, pair.getPrivate(), issuer, Instant.now().plusSeconds(600), roles);
  }

  public String tokenForAudience(String audience, String user, String... roles) {
    return token(user, pair.getPrivate(), ISSUER, audience, Instant.now().plusSeconds(600), roles);
  }

  /** A token that expires {@code ago} in the past. */
  public String tokenExpiredFor(Duration ago, String user, String... roles) {
    return token(user, pair.getPrivate(), ISSUER, Instant.now().minus(ago), roles);
  }

  /** A well-formed token signed by a key the services do not trust. */
  public static String foreignToken(String user, String... roles) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return token(
          user,
          generator.generateKeyPair().getPrivate(),
          ISSUER,
          Instant.now().plusSeconds(600),
          roles);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
