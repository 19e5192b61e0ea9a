package org.kfm.tasks.api.job;

import java.util.List;

/** One page of {@code GET /api/v1/jobs}; pass {@code nextCursor} back to get the next one. */
public record JobPage(List<JobView> items, String nextCursor) {}
