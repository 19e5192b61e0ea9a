package org.kfm.tasks.exports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * Draws the loss histogram into an image with JFreeChart.
 *
 * <p>Built without ChartFactory on purpose: the factory applies a JVM-wide mutable theme, and tick
 * labels would follow the default locale; both would make the same data render differently.
 */
final class HistogramChart {
  private static final Color BARS = new Color(0x2f, 0x6f, 0xb0);
  private static final Color GRID = new Color(0xc8, 0xc8, 0xc8);

  static {
    // Workers have no display. An explicit setting by the application still wins.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private HistogramChart() {}

  /**
   * @param width chart width in points
   * @param height chart height in points
   * @param scale pixels per point; above 1 keeps the text sharp when the PDF is zoomed or printed
   */
  static BufferedImage render(
      List<SimulationReportData.Bin> bins, int width, int height, int scale) {
    JFreeChart chart = chart(bins);
    var image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.scale(scale, scale);
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g.dispose();
    }
    return image;
  }

  private static JFreeChart chart(List<SimulationReportData.Bin> bins) {
    var series = new XYIntervalSeries("runs");
    for (SimulationReportData.Bin bin : bins) {
      double middle = (bin.from() + bin.to()) / 2;
      series.add(middle, bin.from(), bin.to(), bin.count(), bin.count(), bin.count());
    }
    var dataset = new XYIntervalSeriesCollection();
    dataset.addSeries(series);

    var loss = new NumberAxis("Loss");
    loss.setAutoRangeIncludesZero(false);
    loss.setNumberFormatOverride(rootFormat());
    var runs = new NumberAxis("Runs");
    runs.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    runs.setNumberFormatOverride(rootFormat());

    var renderer = new XYBarRenderer();
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(true);
    renderer.setSeriesPaint(0, BARS);
    renderer.setSeriesOutlinePaint(0, Color.WHITE);
    renderer.setSeriesOutlineStroke(0, new BasicStroke(0.5f));

    var plot = new XYPlot(dataset, loss, runs, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinePaint(GRID);

    var chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    // Room on the right for the last tick label, which is centred on the plot's edge.
    chart.setPadding(new RectangleInsets(4, 4, 4, 24));
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    return chart;
  }

  private static DecimalFormat rootFormat() {
    return new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
  }
}
