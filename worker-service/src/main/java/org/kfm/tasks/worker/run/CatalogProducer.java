package org.kfm.tasks.worker.run;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.kfm.tasks.contracts.TaskCatalog;

public class CatalogProducer {
  @Produces
  @Singleton
  TaskCatalog catalog() {
    return TaskCatalog.fromClasspath();
  }
}
