package org.kfm.tasks.api.job;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.kfm.tasks.api.auth.Caller;
import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.api.store.ArtifactRow;
import org.kfm.tasks.api.store.JobArtifacts;
import org.kfm.tasks.api.store.JobFilter;
import org.kfm.tasks.api.store.JobReads;
import org.kfm.tasks.api.store.JobRow;
import org.kfm.tasks.contracts.JobStatus;

/**
 * Reads of jobs with visibility applied: a caller sees their own jobs, an admin everyone's. A job
 * the caller may not see answers exactly like one that does not exist.
 */
@ApplicationScoped
public class JobQueries {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final JobReads jobs;
  private final JobArtifacts artifacts;
  private final ParamsView params;

  public JobQueries(JobReads jobs, JobArtifacts artifacts, ParamsView params) {
    this.jobs = jobs;
    this.artifacts = artifacts;
    this.params = params;
  }

  /** The raw query parameters of a listing. */
  public record ListRequest(
      String status,
      String task,
      String createdAfter,
      String createdBefore,
      String owner,
      Integer limit,
      String cursor) {}

  /**
   * The job with its params, lineage and artifacts. Artifacts are recorded only with a job's
   * success, so polling a job that has not succeeded costs one query, not two.
   */
  public Uni<JobView> get(Caller caller, String id) {
    return visible(caller, id)
        .flatMap(
            job ->
                (job.status() != JobStatus.SUCCEEDED
                        ? Uni.createFrom().item(JobView.of(job, List.of()))
                        : artifacts.list(job.id()).map(found -> JobView.of(job, views(found))))
                    .map(view -> view.withParams(params.forCaller(caller, job))));
  }

  public Uni<ArtifactList> artifacts(Caller caller, String id) {
    return visible(caller, id)
        .flatMap(job -> artifacts.list(job.id()))
        .map(found -> new ArtifactList(views(found)));
  }

  /**
   * One artifact of a job the caller may see.
   *
   * @throws ApiProblem 404 when the job is not visible or has no artifact of that name
   */
  public Uni<ArtifactRow> artifact(Caller caller, String id, String name) {
    return visible(caller, id)
        .flatMap(job -> artifacts.find(job.id(), name))
        .map(
            found ->
                found.orElseThrow(
                    () -> ApiProblem.notFound("job " + id + " has no artifact " + name)));
  }

  private static List<ArtifactView> views(List<ArtifactRow> rows) {
    return rows.stream().map(ArtifactView::of).toList();
  }

  public Uni<List<JobEventView>> events(Caller caller, String id) {
    return visible(caller, id)
        .flatMap(job -> jobs.events(job.id()))
        .map(
            events ->
                events.stream()
                    .map(e -> new JobEventView(e.type(), e.attempt(), e.at(), e.data()))
                    .toList());
  }

  private Uni<JobRow> visible(Caller caller, String rawId) {
    UUID id = parseId(rawId);
    return jobs.findById(id)
        .map(
            found ->
                found
                    .filter(job -> caller.mayRead(job.owner()))
                    .orElseThrow(() -> ApiProblem.notFound("no job " + rawId)));
  }

  public Uni<JobPage> list(Caller caller, ListRequest request) {
    int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiProblem.badField("/limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    String owner = caller.isAdmin() ? request.owner() : caller.name();
    Cursor cursor = request.cursor() == null ? null : Cursor.decode(request.cursor());
    JobFilter filter =
        new JobFilter(
            owner,
            parseStatus(request.status()),
            request.task(),
            parseTime("/createdAfter", request.createdAfter()),
            parseTime("/createdBefore", request.createdBefore()),
            cursor == null ? null : cursor.createdAt(),
            cursor == null ? null : cursor.id(),
            limit);
    return jobs.list(filter)
        .map(
            rows -> {
              String next =
                  rows.size() < limit
                      ? null
                      : new Cursor(
                              rows.get(rows.size() - 1).createdAt(), rows.get(rows.size() - 1).id())
                          .encode();
              return new JobPage(rows.stream().map(JobView::of).toList(), next);
            });
  }

  static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("no job " + id);
    }
  }

  private static JobStatus parseStatus(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return JobStatus.fromWireName(status);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badField("/status", "unknown status " + status);
    }
  }

  private static Instant parseTime(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiProblem.badField(field, "must be an ISO-8601 instant");
    }
  }

  /** Opaque to clients: the position after the last row of a page. */
  record Cursor(Instant createdAt, UUID id) {
    String encode() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
        return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
      } catch (RuntimeException e) {
        throw ApiProblem.badField("/cursor", "not a cursor returned by this API");
      }
    }
  }
}
