package org.kfm.tasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.tasks.cli.client.LocalTokens;
import org.kfm.tasks.cli.stack.LocalKeys;
import org.kfm.tasks.cli.stack.StackLayout;
import org.kfm.tasks.contracts.Wire;

class LocalTokensTest {
  @TempDir Path root;

  @Test
  void aLocalTokenIsAnRs256JwtTheLocalPublicKeyVerifies() throws Exception {
    StackLayout layout = StackLayout.fromEnvironment(root, Map.of());
    LocalKeys.ensure(layout);

    String token =
        LocalTokens.sign(
            LocalKeys.signingKey(layout),
            LocalKeys.ISSUER,
            "alice",
            List.of("analyst"),
            Duration.ofMinutes(5));

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header =
        Wire.fromJson(
            new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8),
            JsonNode.class);
    JsonNode claims =
        Wire.fromJson(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8),
            JsonNode.class);
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(claims.path("upn").asText()).isEqualTo("alice");
    assertThat(claims.path("groups").get(0).asText()).isEqualTo("analyst");
    assertThat(claims.path("iss").asText()).isEqualTo(LocalKeys.ISSUER);
    assertThat(claims.path("aud").asText()).isEqualTo(LocalTokens.AUDIENCE);
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);

    String pem =
        Files.readString(LocalKeys.publicKey(layout))
            .replaceAll("-----[A-Z ]+-----", "")
            .replaceAll("\\s", "");
    var publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(publicKey);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  void theKeyPairIsMadeOnceAndItsPrivateHalfIsReadableByItsOwnerOnly() throws Exception {
    StackLayout layout = StackLayout.fromEnvironment(root, Map.of());
    LocalKeys.ensure(layout);
    String first = Files.readString(LocalKeys.publicKey(layout));
    LocalKeys.ensure(layout);

    assertThat(Files.readString(LocalKeys.publicKey(layout))).isEqualTo(first);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(layout.keys().resolve("jwt-private.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void portsComeFromTheEnvironmentAndABadOneIsNamed() {
    StackLayout layout =
        StackLayout.fromEnvironment(
            root, Map.of("KFM_API_PORT", "9999", "KFM_STATE_DIR", root.resolve("s").toString()));
    assertThat(layout.apiUrl()).isEqualTo("http://127.0.0.1:9999");
    assertThat(layout.state()).isEqualTo(root.resolve("s").toAbsolutePath());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StackLayout.fromEnvironment(root, Map.of("KFM_PG_PORT", "x")))
        .hasMessageContaining("KFM_PG_PORT");
  }
}
