package org.kfm.tasks.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every measured figure with its repeats; reported as median and spread (min..max). */
public final class Figures {
  /** One figure: what it is, its unit, and each repeat's value. */
  public record Figure(String name, String unit, List<Double> runs) {
    public double median() {
      List<Double> sorted = new ArrayList<>(runs);
      sorted.sort(Double::compare);
      int n = sorted.size();
      return n == 0
          ? Double.NaN
          : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
      return runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
      return runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
  }

  private final Map<String, Figure> figures = new LinkedHashMap<>();

  public void add(String name, String unit, double value) {
    figures.computeIfAbsent(name, n -> new Figure(n, unit, new ArrayList<>())).runs().add(value);
  }

  public Map<String, Figure> all() {
    return figures;
  }
}
