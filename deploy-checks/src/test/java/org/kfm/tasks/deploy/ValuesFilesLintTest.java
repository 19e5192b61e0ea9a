package org.kfm.tasks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** yamllint on the chart's values files, with the rules of deploy/helm/.yamllint. */
class ValuesFilesLintTest {
  private static final Path CONFIG = Repo.ROOT.resolve("deploy/helm/.yamllint");

  @Test
  void valuesFilesPassYamllint() {
    Tools.Result result =
        yamllint(
            Repo.CHART.resolve("Chart.yaml"),
            Repo.CHART.resolve("values.yaml"),
            Repo.PRODUCTION_VALUES,
            Repo.CLOUDNATIVEPG_VALUES);

    assertThat(result.exitCode()).as("%s", result).isZero();
  }

  @Test
  void aBadlyIndentedValuesFileFails() {
    Path broken = Chart.writeTemp("workers:\n  classes:\n   cpu-heavy:\n      concurrency: 2\n");

    Tools.Result result = yamllint(broken);

    assertThat(result.exitCode()).as("%s", result).isNotZero();
    assertThat(result.output()).contains("indentation");
  }

  private static Tools.Result yamllint(Path... files) {
    Tools.require("yamllint");
    List<String> command =
        new ArrayList<>(List.of("yamllint", "-f", "parsable", "-c", CONFIG.toString()));
    for (Path file : files) {
      command.add(file.toString());
    }
    return Tools.run(Repo.ROOT, Duration.ofSeconds(30), command);
  }
}
