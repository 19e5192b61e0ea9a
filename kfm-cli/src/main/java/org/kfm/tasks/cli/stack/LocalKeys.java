package org.kfm.tasks.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The local stack's token signing key, made on first start under the state folder (never in the
 * repository). Only the local stack's api-service trusts its public half.
 */
public final class LocalKeys {
  public static final String ISSUER = "https://kfm-tasks.local";

  private LocalKeys() {}

  public static Path publicKey(StackLayout layout) {
    return layout.keys().resolve("jwt-public.pem");
  }

  private static Path privateKey(StackLayout layout) {
    return layout.keys().resolve("jwt-private.pem");
  }

  /** Creates the key pair unless it exists. */
  public static void ensure(StackLayout layout) {
    if (Files.exists(privateKey(layout)) && Files.exists(publicKey(layout))) {
      return;
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.createDirectories(layout.keys());
      Files.writeString(publicKey(layout), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      Path secret = privateKey(layout);
      Files.writeString(secret, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PrivateKey signingKey(StackLayout layout) {
    Path file = privateKey(layout);
    if (!Files.exists(file)) {
      throw new IllegalStateException("no local signing key at " + file + ": run ./kfm up first");
    }
    try {
      String body =
          Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
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
}
