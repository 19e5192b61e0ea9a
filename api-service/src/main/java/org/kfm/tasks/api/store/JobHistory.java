package org.kfm.tasks.api.store;

import static org.kfm.tasks.api.store.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Appends to jobs' history ({@code job_events}), one statement for any number of entries, in the
 * caller's transaction. New jobs write their first entry with their insert instead.
 */
@ApplicationScoped
public class JobHistory {
  private static final String APPEND =
      "INSERT INTO job_events (job_id, event_id, type, attempt, at, data)"
          + " SELECT u.job_id, u.event_id, u.type, u.attempt, u.at, u.data::jsonb"
          + " FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::timestamptz[], $6::text[])"
          + " AS u(job_id, event_id, type, attempt, at, data)"
          + " ON CONFLICT (event_id) DO NOTHING";

  /** Appends history entries; an event id seen before is not recorded twice. */
  public Uni<Void> append(SqlConnection conn, List<HistoryEntry> entries) {
    if (entries.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Tuple values =
        Tuple.from(
            Arrays.asList(
                entries.stream().map(HistoryEntry::jobId).toArray(UUID[]::new),
                entries.stream().map(HistoryEntry::eventId).toArray(UUID[]::new),
                entries.stream().map(HistoryEntry::type).toArray(String[]::new),
                entries.stream().map(HistoryEntry::attempt).toArray(Integer[]::new),
                entries.stream().map(e -> utc(e.at())).toArray(OffsetDateTime[]::new),
                entries.stream().map(HistoryEntry::dataJson).toArray(String[]::new)));
    return conn.preparedQuery(APPEND).execute(values).replaceWithVoid();
  }
}
