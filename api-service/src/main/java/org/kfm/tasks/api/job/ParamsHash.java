package org.kfm.tasks.api.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A hash of what a submission asks for, independent of key order and whitespace, so "the same body"
 * means the same request however the client serialised it.
 */
final class ParamsHash {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ParamsHash() {}

  static String of(String task, JsonNode params, String runAt) {
    try {
      Object tree = CANONICAL.treeToValue(params, Object.class);
      byte[] canonical =
          CANONICAL.writeValueAsBytes(
              Map.of(
                  "task",
                  task,
                  "params",
                  tree == null ? Map.of() : tree,
                  "runAt",
                  runAt == null ? "" : runAt));
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hash of the bytes only, for keys derived from param values. */
  static String ofText(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
