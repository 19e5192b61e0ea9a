package org.kfm.tasks.api.store;

import java.time.Instant;
import java.util.UUID;
import org.kfm.tasks.contracts.JobStatus;

/**
 * What {@code GET /api/v1/jobs} asks for. {@code owner} is null only for an admin listing every
 * owner's jobs. Paging is by keyset on (created_at, id), newest first, so pages stay stable while
 * new jobs arrive.
 */
public record JobFilter(
    String owner,
    JobStatus status,
    String task,
    Instant createdAfter,
    Instant createdBefore,
    Instant cursorCreatedAt,
    UUID cursorId,
    int limit) {}
