package org.kfm.tasks.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.testing.DashboardQueries;

/**
 * Every metric a dashboard panel selects from the workers is exposed at /q/metrics of a running
 * worker, including the per-task series no command has moved yet (registered at zero), and the
 * Kafka client's consumer lag has a series for each class topic this replica serves.
 */
@QuarkusTest
class DashboardMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  @Test
  void everyWorkerMetricOfTheDashboardIsExported() {
    Set<String> wanted = DashboardQueries.metricsOf("kfm-worker");
    assertThat(wanted).as("dashboard queries of job kfm-worker").hasSizeGreaterThan(5);

    // The consumers' lag series appear once each has been assigned its partitions and fetched.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(DashboardQueries.exposed(scrape())).containsAll(wanted));
  }

  @Test
  void consumerLagIsExposedPerClassTopicAndPartition() {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              String scrape = scrape();
              for (ConcurrencyClass c : ConcurrencyClass.values()) {
                assertThat(scrape)
                    .containsPattern(
                        "kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"\\d+\"[^}]*topic=\""
                            + c.topic().replace(".", "\\.")
                            + "\"");
              }
            });
  }
}
