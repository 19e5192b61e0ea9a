package org.kfm.tasks.api.artifact;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;
import org.kfm.tasks.api.artifact.ArtifactsConfig.Download;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.error.Problem;
import org.kfm.tasks.api.job.JobQueries;
import org.kfm.tasks.api.store.ArtifactRow;
import org.kfm.tasks.artifacts.ArtifactNames;
import org.kfm.tasks.artifacts.ArtifactStore;

/**
 * Answers a download of one artifact: who may have it (the job's owner or an admin; anyone else is
 * told it does not exist), whether the client's copy is current ({@code If-None-Match}), which
 * bytes it asked for ({@code Range}), and then streams them from the artifact store, or redirects
 * to a presigned URL when so configured. Runs on a worker thread: it waits for the database and
 * reads the store with blocking calls, and copies the file in 64 KiB pieces, never whole.
 */
@ApplicationScoped
public class ArtifactDownloads {
  private static final Logger LOG = Logger.getLogger(ArtifactDownloads.class);
  private static final Duration LOOKUP_WAIT = Duration.ofSeconds(30);
  private static final int BUFFER = 64 * 1024;

  private final JobQueries queries;
  private final ArtifactStore store;
  private final ArtifactsConfig config;
  private final MeterRegistry registry;
  private final Counter bytes;

  public ArtifactDownloads(
      JobQueries queries, ArtifactStore store, ArtifactsConfig config, MeterRegistry registry) {
    this.queries = queries;
    this.store = store;
    this.config = config;
    this.registry = registry;
    this.bytes =
        Counter.builder("kfm.artifacts.download.bytes")
            .description("artifact bytes sent to clients")
            .baseUnit("bytes")
            .register(registry);
  }

  /** The request headers a download heeds. */
  public record Conditions(String ifNoneMatch, String range, String ifRange) {}

  public Response download(Caller caller, String jobId, String name, Conditions conditions)
      throws IOException {
    try {
      ArtifactNames.requireValid(name);
    } catch (IllegalArgumentException e) {
      // The name itself stays out of the log: it is whatever the client sent.
      count("invalid-name", jobId, "(invalid)");
      throw ApiProblem.badField("/name", e.getMessage());
    }
    ArtifactRow artifact;
    try {
      artifact = queries.artifact(caller, jobId, name).await().atMost(LOOKUP_WAIT);
    } catch (ApiProblem e) {
      count("not-found", jobId, name);
      throw e;
    }
    String tag = EntityTags.of(artifact.sha256());
    if (EntityTags.noneMatchHits(conditions.ifNoneMatch(), tag)) {
      count("not-modified", jobId, name);
      return Response.notModified().header("ETag", tag).build();
    }
    if (config.download() == Download.REDIRECT) {
      Optional<URI> url = store.presignedGet(artifact.storageKey(), config.presignTtl());
      if (url.isPresent()) {
        count("redirected", jobId, name);
        return Response.temporaryRedirect(url.get()).header("Cache-Control", "no-store").build();
      }
    }
    long total = storedSize(artifact);
    ByteRange range =
        EntityTags.rangeApplies(conditions.ifRange(), tag)
            ? ByteRange.of(conditions.range(), total)
            : new ByteRange.Whole();
    if (range instanceof ByteRange.Unsatisfiable) {
      count("unsatisfiable", jobId, name);
      return Problem.of(
              416,
              "Range not satisfiable",
              "the artifact has " + total + " bytes; the range asks for none of them",
              List.of())
          .toResponse()
          .header("Content-Range", ByteRange.Unsatisfiable.contentRange(total))
          .header("Accept-Ranges", "bytes")
          .build();
    }
    Response.ResponseBuilder answer;
    long first = 0;
    long length = total;
    String outcome;
    if (range instanceof ByteRange.Part part) {
      answer = Response.status(206).header("Content-Range", part.contentRange(total));
      first = part.first();
      length = part.length();
      outcome = "partial";
    } else {
      answer = Response.ok();
      outcome = "served";
    }
    return answer
        .entity(stream(artifact, first, length, outcome))
        .type(mediaTypeOf(artifact))
        .header("Content-Length", length)
        .header("ETag", tag)
        .header("Accept-Ranges", "bytes")
        .header("Content-Disposition", "attachment; filename=\"" + artifact.name() + "\"")
        .header("Cache-Control", "private")
        .build();
  }

  /** The stored object's size, which must be the size recorded for it. */
  private long storedSize(ArtifactRow artifact) throws IOException {
    OptionalLong stored = store.size(artifact.storageKey());
    String job = artifact.jobId().toString();
    if (stored.isEmpty()) {
      count("missing-content", job, artifact.name());
      LOG.warnf(
          "job=%s artifact=%s recorded but not in the %s store under %s",
          job, artifact.name(), store.kind(), artifact.storageKey());
      throw ApiProblem.notFound("the content of artifact " + artifact.name() + " is gone");
    }
    if (stored.getAsLong() != artifact.size()) {
      count("failed", job, artifact.name());
      throw new IllegalStateException(
          "job="
              + job
              + " artifact="
              + artifact.name()
              + " stored with "
              + stored.getAsLong()
              + " bytes, recorded with "
              + artifact.size());
    }
    return artifact.size();
  }

  private StreamingOutput stream(ArtifactRow artifact, long first, long length, String outcome) {
    String job = artifact.jobId().toString();
    return out -> {
      long sent = 0;
      try (InputStream in = store.open(artifact.storageKey(), first, length)) {
        sent = copy(in, out, length);
        if (sent != length) {
          throw new IOException("the stored object ended after " + sent + " of " + length);
        }
      } catch (IOException e) {
        bytes.increment(sent);
        count("aborted", job, artifact.name());
        LOG.debugf(
            "job=%s artifact=%s download aborted after %d bytes: %s",
            job, artifact.name(), sent, e.toString());
        throw e;
      }
      bytes.increment(sent);
      count(outcome, job, artifact.name());
    };
  }

  /** Copies at most {@code length} bytes; returns how many were copied. */
  private static long copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long sent = 0;
    while (sent < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - sent));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      sent += n;
    }
    return sent;
  }

  private static MediaType mediaTypeOf(ArtifactRow artifact) {
    try {
      return MediaType.valueOf(artifact.contentType());
    } catch (IllegalArgumentException e) {
      return MediaType.APPLICATION_OCTET_STREAM_TYPE;
    }
  }

  private void count(String outcome, String jobId, String name) {
    registry.counter("kfm.artifacts.downloads", "outcome", outcome).increment();
    LOG.debugf("job=%s artifact=%s download %s", jobId, name, outcome);
  }
}
