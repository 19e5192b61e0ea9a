package org.kfm.tasks.api.projection;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.store.ArtifactRow;
import org.kfm.tasks.artifacts.ArtifactKeys;
import org.kfm.tasks.artifacts.ArtifactNames;
import org.kfm.tasks.contracts.ArtifactRef;

/**
 * The artifacts a batch's applied successes reported, checked before they are recorded: a name a
 * download could not serve safely, or a key other than the job's own key for that name, is refused
 * (a worker must never point a job at another job's file or outside its folder). So is an entry the
 * table cannot hold, which would otherwise fail the batch's transaction over and over.
 */
final class ArtifactRefs {
  // The projector's log category, so operators' filters keep working.
  private static final Logger LOG = Logger.getLogger(EventApplier.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int MAX_CONTENT_TYPE = 255;

  // By job and name: a later report of the same name replaces an earlier one.
  private final Map<String, ArtifactRow> accepted = new LinkedHashMap<>();
  private int refused;

  void add(UUID jobId, int attempt, Iterable<ArtifactRef> refs) {
    for (ArtifactRef ref : refs) {
      String problem = problemOf(jobId, ref);
      if (problem != null) {
        refused++;
        LOG.warnf(
            "job=%s attempt=%d artifact %s refused: %s",
            jobId, attempt, ref == null ? null : printable(ref.name()), printable(problem));
        continue;
      }
      accepted.put(
          jobId + "/" + ref.name(),
          new ArtifactRow(
              jobId,
              ref.name(),
              ref.contentType(),
              ref.size(),
              ref.sha256().toLowerCase(Locale.ROOT),
              ref.key(),
              attempt,
              null));
    }
  }

  Collection<ArtifactRow> accepted() {
    return accepted.values();
  }

  int refused() {
    return refused;
  }

  private static String problemOf(UUID jobId, ArtifactRef ref) {
    if (ref == null) {
      return "empty entry";
    }
    if (!ArtifactNames.isValid(ref.name())) {
      return "invalid name";
    }
    if (!ArtifactKeys.forJob(jobId, ref.name()).equals(ref.key())) {
      return "key " + ref.key() + " is not the job's key for this name";
    }
    if (ref.contentType() == null
        || ref.contentType().isBlank()
        || ref.contentType().length() > MAX_CONTENT_TYPE
        || !ref.contentType().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return "content type missing or not printable ASCII";
    }
    if (ref.size() < 0) {
      return "negative size";
    }
    if (ref.sha256() == null || !SHA256.matcher(ref.sha256()).matches()) {
      return "sha256 is not 64 hex digits";
    }
    return null;
  }

  /** What a worker sent, safe for a log line. */
  private static String printable(String text) {
    return text == null ? null : text.replaceAll("\\p{Cntrl}", "?");
  }
}
