package org.kfm.tasks.api.artifact;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.kfm.tasks.artifacts.ArtifactStore;
import org.kfm.tasks.artifacts.ArtifactStoreConfig;
import org.kfm.tasks.artifacts.ArtifactStores;

/** The artifact store the configuration names, made at startup so a bad setting fails fast. */
@ApplicationScoped
public class ArtifactStoreProducer {
  private static final Logger LOG = Logger.getLogger(ArtifactStoreProducer.class);

  @Produces
  @Singleton
  @Startup
  ArtifactStore store(ArtifactsConfig config) {
    ArtifactsConfig.S3 s3 = config.s3();
    ArtifactStore store =
        ArtifactStores.create(
            new ArtifactStoreConfig(
                config.store(),
                config.dir(),
                s3.endpoint().orElse(null),
                s3.bucket().orElse(null),
                s3.region(),
                s3.pathStyle(),
                s3.accessKey().orElse(null),
                s3.secretKey().orElse(null)));
    LOG.infof(
        "artifact store: %s%s, downloads %s",
        store.kind(),
        "filesystem".equals(store.kind()) ? " at " + config.dir() : "",
        config.download().name().toLowerCase(java.util.Locale.ROOT));
    return store;
  }

  void close(@Disposes ArtifactStore store) throws Exception {
    store.close();
  }
}
