package org.kfm.tasks.api.projection;

import java.util.List;
import org.kfm.tasks.api.store.ArtifactRow;
import org.kfm.tasks.api.store.HistoryEntry;

/**
 * What projecting a batch leaves to write besides the changed rows: history entries to append,
 * artifacts to record (one per job and name), and how many reported artifacts were refused.
 */
public record Projected(List<HistoryEntry> history, List<ArtifactRow> artifacts, int refused) {}
