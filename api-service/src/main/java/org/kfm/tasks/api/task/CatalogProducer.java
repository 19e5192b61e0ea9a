package org.kfm.tasks.api.task;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.kfm.tasks.contracts.TaskCatalog;

/** The shared task catalogue; an invalid spec stops the service at start. */
public class CatalogProducer {
  @Produces
  @Singleton
  TaskCatalog catalog() {
    return TaskCatalog.fromClasspath();
  }
}
