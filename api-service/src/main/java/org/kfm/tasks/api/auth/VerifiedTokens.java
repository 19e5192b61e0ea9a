package org.kfm.tasks.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers tokens that passed verification until they expire. Clients send the same token with
 * every request for its whole life, and checking its RSA signature each time was about a tenth of
 * the service's CPU. Only successful verifications are kept, and an entry never outlives the
 * token's own {@code exp}, so nothing is accepted that the verifier would refuse (tokens carry no
 * revocation; a token stays valid until it expires with or without this cache).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {
  private final DefaultJWTParser verifier;
  private final Cache<String, JsonWebToken> verified;

  public VerifiedTokens(
      DefaultJWTParser verifier,
      MeterRegistry registry,
      @ConfigProperty(name = "kfm.auth.verified-token-cache.max-size", defaultValue = "10000")
          long maxSize,
      @ConfigProperty(name = "kfm.auth.verified-token-cache.max-age", defaultValue = "5m")
          Duration maxAge) {
    this.verifier = verifier;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(maxSize)
            .expireAfter(untilExpiry(maxAge))
            .recordStats()
            .build();
    CaffeineCacheMetrics.monitor(registry, verified, "kfm.auth.verified-tokens");
  }

  private static Expiry<String, JsonWebToken> untilExpiry(Duration maxAge) {
    return Expiry.creating(
        (token, jwt) -> {
          Duration left =
              Duration.ofSeconds(jwt.getExpirationTime()).minusMillis(System.currentTimeMillis());
          return left.isNegative() ? Duration.ZERO : left.compareTo(maxAge) < 0 ? left : maxAge;
        });
  }

  @Override
  public JsonWebToken parse(String token) throws ParseException {
    JsonWebToken known = verified.getIfPresent(token);
    if (known != null) {
      return known;
    }
    JsonWebToken fresh = verifier.parse(token);
    verified.put(token, fresh);
    return fresh;
  }

  @Override
  public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
    return verifier.parse(token, context);
  }

  @Override
  public JsonWebToken verify(String token, PublicKey key) throws ParseException {
    return verifier.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, SecretKey key) throws ParseException {
    return verifier.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, String secret) throws ParseException {
    return verifier.verify(token, secret);
  }

  @Override
  public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
    return verifier.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
    return verifier.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, String secret) throws ParseException {
    return verifier.decrypt(token, secret);
  }

  @Override
  public JsonWebToken parseOnly(String token) throws ParseException {
    return verifier.parseOnly(token);
  }
}
