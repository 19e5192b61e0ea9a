package org.kfm.tasks.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.Wire;

class HeadlineTest {
  private static JsonNode succeeded(String task, String result) {
    return Wire.fromJson(
        "{\"task\":\""
            + task
            + "\",\"status\":\"succeeded\",\"attempt\":1,\"result\":"
            + result
            + "}",
        JsonNode.class);
  }

  @Test
  void aForecastPullSaysWhetherItStoredPeriodsOrFoundTheCellUnchanged() {
    assertThat(
            Headline.of(
                succeeded(
                    "ingest.noaa_forecast",
                    "{\"changed\":true,\"office\":\"TOP\",\"gridX\":31,\"gridY\":80,"
                        + "\"updated\":\"2026-11-30T13:52:41Z\",\"periods\":14}")))
        .isEqualTo("TOP/31,80: 14 periods stored, issued 2026-11-30T13:52:41Z");
    assertThat(
            Headline.of(
                succeeded(
                    "ingest.noaa_forecast",
                    "{\"changed\":false,\"office\":\"TOP\",\"gridX\":31,\"gridY\":80,"
                        + "\"reason\":\"not_modified\",\"periods\":14}")))
        .isEqualTo("TOP/31,80 unchanged (not_modified): 14 periods kept, nothing written");
  }

  @Test
  void aRetrainNamesItsVersionSplitScoresAndPromotion() {
    String result =
        "{\"model\":\"demo-surrogate\",\"version\":2,\"metrics\":{\"trainRows\":24,\"testRows\":8,"
            + "\"holdout\":{\"rmse\":0.5745,\"r2\":0.99928}},\"promoted\":false}";

    assertThat(Headline.of(succeeded("ml.retrain", result)))
        .isEqualTo("demo-surrogate v2 on 24 runs, 8 held out: RMSE 0.575, R² 0.9993, not promoted");
  }

  @Test
  void inferenceExportsAndDryRunsReadTheirCounts() {
    assertThat(
            Headline.of(
                succeeded(
                    "ml.batch_inference",
                    "{\"model\":\"m\",\"version\":1,\"target\":\"p95\",\"rows\":30,"
                        + "\"errorVsActual\":{\"rmse\":0.586,\"r2\":0.99981}}")))
        .isEqualTo("m v1 scored 30 runs: p95 RMSE 0.586, R² 0.9998");
    assertThat(
            Headline.of(
                succeeded(
                    "exports.dataset",
                    "{\"rows\":14,\"artifact\":\"forecast_periods.csv\",\"bytes\":3379}")))
        .isEqualTo("forecast_periods.csv: 14 rows, 3.3 kB");
    assertThat(
            Headline.of(
                succeeded(
                    "maintenance.cache_cleanup",
                    "{\"dryRun\":true,\"tempFiles\":{\"wouldRemove\":{\"count\":0}},"
                        + "\"tiles\":{\"scanned\":84,\"wouldRemove\":{\"count\":0,\"bytes\":0}}}")))
        .isEqualTo("would remove 0 of 84 tiles (0 B); 0 temporary files");
  }

  @Test
  void aFailedJobShowsItsErrorCodeAndMessageCutShort() {
    JsonNode failed =
        Wire.fromJson(
            "{\"task\":\"ml.retrain\",\"status\":\"failed\",\"error\":{\"code\":\"NOT_ENOUGH_DATA\","
                + "\"message\":\""
                + "only 12 usable runs, at least 30 needed; ".repeat(5)
                + "\"}}",
            JsonNode.class);

    String headline = Headline.of(failed);

    assertThat(headline).startsWith("NOT_ENOUGH_DATA: only 12 usable runs").endsWith("…");
    assertThat(headline).hasSize(90);
  }

  @Test
  void manyRunsAreCountedWithTheRangeOfTheirP95() {
    List<JsonNode> runs =
        List.of(
            succeeded("analysis.run_simulation", "{\"runs\":2000,\"p95\":0.412}"),
            succeeded("analysis.run_simulation", "{\"runs\":2000,\"p95\":183.6}"));

    assertThat(Headline.ofRuns(runs))
        .isEqualTo("2 runs stored (4,000 trials), p95 from 0.412 to 184");
  }
}
