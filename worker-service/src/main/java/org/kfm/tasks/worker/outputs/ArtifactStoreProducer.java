package org.kfm.tasks.worker.outputs;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.artifacts.ArtifactStoreConfig;
import org.kfm.tasks.artifacts.ArtifactStores;

/** The artifact store this replica writes to, chosen by {@code kfm.artifacts.*}. */
@ApplicationScoped
public class ArtifactStoreProducer {
  private static final Logger LOG = Logger.getLogger(ArtifactStoreProducer.class);

  @Produces
  @ApplicationScoped
  @Startup
  ArtifactStore store(
      @ConfigProperty(name = "kfm.artifacts.store") String kind,
      @ConfigProperty(name = "kfm.artifacts.dir") Path dir,
      @ConfigProperty(name = "kfm.artifacts.s3.endpoint") Optional<URI> endpoint,
      @ConfigProperty(name = "kfm.artifacts.s3.bucket") Optional<String> bucket,
      @ConfigProperty(name = "kfm.artifacts.s3.region") Optional<String> region,
      @ConfigProperty(name = "kfm.artifacts.s3.path-style", defaultValue = "false")
          boolean pathStyle,
      @ConfigProperty(name = "kfm.artifacts.s3.access-key") Optional<String> accessKey,
      @ConfigProperty(name = "kfm.artifacts.s3.secret-key") Optional<String> secretKey) {
    ArtifactStore store =
        ArtifactStores.create(
            new ArtifactStoreConfig(
                kind,
                dir,
                endpoint.orElse(null),
                bucket.orElse(null),
                region.orElse(null),
                pathStyle,
                accessKey.orElse(null),
                secretKey.orElse(null)));
    LOG.infof(
        "artifacts go to the %s store at %s",
        store.kind(), "s3".equals(kind) ? bucket.orElse("?") : dir);
    return store;
  }

  void close(@Disposes ArtifactStore store) throws Exception {
    store.close();
  }
}
