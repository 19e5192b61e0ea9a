package org.kfm.tasks.api.job;

import java.util.List;

/** {@code GET /api/v1/jobs/{id}/artifacts}: a job's files by name. */
public record ArtifactList(List<ArtifactView> items) {}
