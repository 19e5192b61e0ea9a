package org.kfm.tasks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under deploy/helm, linted and rendered by the Helm library embedded in helm-java. */
final class Chart {
  static final String RELEASE = "kfm-tasks";
  static final String NAMESPACE = "jobs";
  // The oldest Kubernetes the chart supports (Chart.yaml kubeVersion); helm-java would assume 1.20.
  static final String KUBE_VERSION = "1.25.0";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Chart() {}

  /**
   * Lints the chart strictly with a values file laid over its defaults. Helm's lint reads only the
   * chart's own values.yaml, so the overlay is merged into a copy of the chart.
   */
  static LintResult lint(Path overlay) {
    Path copy = copyOfChart();
    if (overlay != null) {
      ObjectNode values = read(copy.resolve("values.yaml"));
      merge(values, read(overlay));
      write(copy.resolve("values.yaml"), values);
    }
    return new Helm(copy).lint().strict().call();
  }

  /** Renders the chart as `helm template` would, with values files and --set pairs in order. */
  static Rendered render(List<Path> valuesFiles, Map<String, Object> sets) {
    TemplateCommand template = new Helm(Repo.CHART).template().withName(RELEASE);
    template.withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    valuesFiles.forEach(template::withValuesFile);
    sets.forEach(template::set);
    return Rendered.parse(template.call());
  }

  static Rendered render(Path... valuesFiles) {
    return render(List.of(valuesFiles), Map.of());
  }

  /** The chart's defaults, with values files laid over them as Helm does. */
  static ObjectNode values(Path... overlays) {
    ObjectNode values = read(Repo.CHART.resolve("values.yaml"));
    for (Path overlay : overlays) {
      merge(values, read(overlay));
    }
    return values;
  }

  /** A values file for one test. */
  static Path writeTemp(String yaml) {
    try {
      Path file = Files.createTempFile("kfm-values-", ".yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode read(Path file) {
    try {
      JsonNode node = YAML.readTree(file.toFile());
      return node instanceof ObjectNode object ? object : YAML.createObjectNode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Maps merge key by key; anything else (lists included) is replaced, as in Helm. */
  static void merge(ObjectNode base, JsonNode overlay) {
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode current = base.get(field.getKey());
      if (current instanceof ObjectNode currentObject && field.getValue().isObject()) {
        merge(currentObject, field.getValue());
      } else {
        base.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }

  private static void write(Path file, JsonNode node) {
    try {
      YAML.writeValue(file.toFile(), node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path copyOfChart() {
    try {
      Path target = Files.createTempDirectory("kfm-chart-").resolve("kfm-tasks");
      List<Path> sources;
      try (Stream<Path> walk = Files.walk(Repo.CHART)) {
        sources = new ArrayList<>(walk.toList());
      }
      for (Path source : sources) {
        Path copy = target.resolve(Repo.CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(source, copy);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
