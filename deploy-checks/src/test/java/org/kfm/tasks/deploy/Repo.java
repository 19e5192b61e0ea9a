package org.kfm.tasks.deploy;

import java.nio.file.Path;

/** Where the checked files are: the repository is the module's parent. */
final class Repo {
  static final Path ROOT =
      Path.of(System.getProperty("kfm.repo", "..")).toAbsolutePath().normalize();
  static final Path CHART = ROOT.resolve("deploy/helm/kfm-tasks");
  static final Path PRODUCTION_VALUES = CHART.resolve("examples/values-production.yaml");
  static final Path CLOUDNATIVEPG_VALUES = CHART.resolve("examples/values-cloudnativepg.yaml");
  static final Path API_PROPERTIES =
      ROOT.resolve("api-service/src/main/resources/application.properties");
  static final Path WORKER_PROPERTIES =
      ROOT.resolve("worker-service/src/main/resources/application.properties");

  private Repo() {}
}
