package org.kfm.tasks.worker.tasks.ml;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads of the model registry ({@code ml_models}). Handlers run on plain threads, so each read runs
 * its reactive session on a Vert.x context and waits, bounded, for the row.
 */
@ApplicationScoped
class ModelRegistry {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** The version a retrain job stored, if it ran before (a retry or a redelivery). */
  Optional<MlModel> ofJob(UUID jobId) {
    return Optional.ofNullable(await(() -> MlModel.<MlModel>findById(jobId)));
  }

  /** The promoted version of the owner's model: what inference uses unless told a version. */
  Optional<MlModel> promoted(String owner, String name) {
    return Optional.ofNullable(
        await(
            () ->
                MlModel.<MlModel>find("owner = ?1 and name = ?2 and promoted = true", owner, name)
                    .firstResult()));
  }

  /** The promoted version other than the one {@code jobId} stored: what a retrain competes with. */
  Optional<MlModel> promotedOtherThan(String owner, String name, UUID jobId) {
    return Optional.ofNullable(
        await(
            () ->
                MlModel.<MlModel>find(
                        "owner = ?1 and name = ?2 and promoted = true and jobId <> ?3",
                        owner,
                        name,
                        jobId)
                    .firstResult()));
  }

  Optional<MlModel> version(String owner, String name, int version) {
    return Optional.ofNullable(
        await(
            () ->
                MlModel.<MlModel>find(
                        "owner = ?1 and name = ?2 and version = ?3", owner, name, version)
                    .firstResult()));
  }

  /** The owner's latest version of the model, to check a retrain keeps its target. */
  Optional<MlModel> latest(String owner, String name) {
    return Optional.ofNullable(
        await(
            () ->
                MlModel.<MlModel>find("owner = ?1 and name = ?2 order by version desc", owner, name)
                    .firstResult()));
  }

  private static <T> T await(Supplier<Uni<T>> query) {
    try {
      return VertxContextSupport.subscribeAndAwait(
          () -> Panache.withSession(query).ifNoItem().after(READ_TIMEOUT).fail());
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("reading the model registry failed", e);
    }
  }
}
