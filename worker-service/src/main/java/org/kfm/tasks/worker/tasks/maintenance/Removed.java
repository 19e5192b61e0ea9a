package org.kfm.tasks.worker.tasks.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.kfm.tasks.contracts.Wire;

/**
 * What a sweep removed (or, in a dry run, would remove): how many files, their bytes, and the
 * oldest and newest last-write times among them ({@code null} when none).
 */
record Removed(long count, long bytes, Instant oldest, Instant newest) {
  static final Removed NONE = new Removed(0, 0, null, null);

  Removed plus(long size, Instant lastModified) {
    return new Removed(
        count + 1,
        bytes + size,
        oldest == null || lastModified.isBefore(oldest) ? lastModified : oldest,
        newest == null || lastModified.isAfter(newest) ? lastModified : newest);
  }

  Removed plus(Removed other) {
    Removed sum = new Removed(count + other.count, bytes + other.bytes, oldest, newest);
    if (other.oldest != null && (oldest == null || other.oldest.isBefore(oldest))) {
      sum = new Removed(sum.count, sum.bytes, other.oldest, sum.newest);
    }
    if (other.newest != null && (newest == null || other.newest.isAfter(newest))) {
      sum = new Removed(sum.count, sum.bytes, sum.oldest, other.newest);
    }
    return sum;
  }

  ObjectNode toJson() {
    ObjectNode json = Wire.mapper().createObjectNode();
    json.put("count", count);
    json.put("bytes", bytes);
    json.put("oldest", oldest == null ? null : oldest.toString());
    json.put("newest", newest == null ? null : newest.toString());
    return json;
  }
}
