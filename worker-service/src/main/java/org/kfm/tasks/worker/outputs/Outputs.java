package org.kfm.tasks.worker.outputs;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;
import org.kfm.tasks.contracts.TaskContext;
import org.kfm.tasks.contracts.Wire;

/**
 * Stores a handler's domain outputs in the worker's schema: one transaction holds the outputs and
 * the job's {@link JobOutput} record, so both are there or neither is. Handlers run on plain
 * threads; this runs the reactive session on a Vert.x context and waits for the commit.
 */
@ApplicationScoped
public class Outputs {
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Runs {@code work} with the session in one transaction beside the job's output record, and
   * returns what it returned once committed.
   */
  public <T> T store(TaskContext context, Function<Mutiny.Session, Uni<T>> work) {
    JobOutput record = new JobOutput();
    record.jobId = context.jobId();
    record.task = context.spec().name();
    record.attempt = context.attempt();
    record.lineage = Wire.toJson(context.lineage());
    record.storedAt = Instant.now();
    try {
      return VertxContextSupport.subscribeAndAwait(
          () ->
              Panache.withTransaction(
                      () ->
                          Panache.getSession()
                              .chain(
                                  session ->
                                      session.merge(record).chain(() -> work.apply(session))))
                  .ifNoItem()
                  .after(COMMIT_TIMEOUT)
                  .fail());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(
          "storing the outputs of job " + context.jobId() + " failed", e);
    }
  }
}
