package org.kfm.tasks.api.job;

import java.util.List;

/** The jobs of a batch, in request order; {@code replayed} counts those that already existed. */
public record BatchAccepted(List<JobView> items, int replayed) {}
