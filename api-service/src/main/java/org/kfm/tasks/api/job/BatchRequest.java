package org.kfm.tasks.api.job;

import java.util.List;

/** Body of {@code POST /api/v1/jobs:batch}: up to {@link JobBatchSubmission#MAX_JOBS} jobs. */
public record BatchRequest(List<BatchItem> jobs) {}
