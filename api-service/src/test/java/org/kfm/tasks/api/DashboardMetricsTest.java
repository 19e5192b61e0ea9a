package org.kfm.tasks.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.testing.DashboardQueries;

/**
 * Every metric a dashboard panel selects from the api-service is exposed at /q/metrics of a running
 * api-service, including series that only move under load (registered at zero).
 */
@QuarkusTest
class DashboardMetricsTest {
  @Test
  void everyApiMetricOfTheDashboardIsExported() {
    Set<String> wanted = DashboardQueries.metricsOf("kfm-api");
    assertThat(wanted).as("dashboard queries of job kfm-api").hasSizeGreaterThan(5);

    Set<String> exposed =
        DashboardQueries.exposed(
            given().get("/q/metrics").then().statusCode(200).extract().asString());

    assertThat(exposed).containsAll(wanted);
  }
}
