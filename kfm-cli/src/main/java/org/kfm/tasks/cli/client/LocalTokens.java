package org.kfm.tasks.cli.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kfm.tasks.contracts.Wire;

/** Short-lived RS256 tokens for a local user, signed with the local stack's key. */
public final class LocalTokens {
  /** The audience the API accepts unless KFM_JWT_AUDIENCE names another. */
  public static final String AUDIENCE = "kfm-tasks-api";

  private LocalTokens() {}

  public static String sign(
      PrivateKey key, String issuer, String user, List<String> roles, Duration ttl) {
    Instant now = Instant.now();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("aud", AUDIENCE);
    claims.put("sub", user);
    claims.put("upn", user);
    claims.put("groups", roles);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(ttl).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    String signingInput =
        base64(Wire.toJson(Map.of("alg", "RS256", "typ", "JWT")))
            + "."
            + base64(Wire.toJson(claims));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
