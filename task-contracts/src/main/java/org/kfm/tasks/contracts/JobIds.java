package org.kfm.tasks.contracts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Job ids that follow from what caused the job: the same event (source and id, as CloudEvents
 * define its identity) for the same task always names the same job, however often it is delivered
 * or replayed. Name-based UUIDs, version 5 (SHA-1), as RFC 9562 defines them; the JDK only makes
 * version 3.
 */
public final class JobIds {
  /** The namespace of event-born job ids (a fixed random UUID). */
  static final UUID EVENTS = UUID.fromString("5b0c7e1e-3f0a-4d8c-9b87-2a6f4f0f6a11");

  private JobIds() {}

  public static UUID forEvent(String source, String eventId, String task) {
    return nameBased(EVENTS, source + "\n" + eventId + "\n" + task);
  }

  static UUID nameBased(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = Arrays.copyOf(sha1.digest(name.getBytes(StandardCharsets.UTF_8)), 16);
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer bytes = ByteBuffer.wrap(hash);
    return new UUID(bytes.getLong(), bytes.getLong());
  }
}
