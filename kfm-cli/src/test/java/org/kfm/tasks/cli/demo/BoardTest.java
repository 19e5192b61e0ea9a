package org.kfm.tasks.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.Wire;

class BoardTest {
  private static JsonNode job(String status) {
    return Wire.fromJson("{\"status\":\"" + status + "\"}", JsonNode.class);
  }

  private static String statusOf(JsonNode... jobs) {
    return Board.statusOf(Arrays.asList(jobs));
  }

  @Test
  void aGroupSucceedsOnlyWhenEveryJobHas() {
    assertThat(statusOf(job("succeeded"), job("succeeded"))).isEqualTo("succeeded");
    assertThat(statusOf(job("succeeded"), job("running"), job("queued"))).isEqualTo("running");
    assertThat(statusOf(job("succeeded"), job("queued"))).isEqualTo("queued");
  }

  @Test
  void oneFailureFailsTheGroupOnceAllHaveEnded() {
    assertThat(statusOf(job("succeeded"), job("failed"))).isEqualTo("failed");
    assertThat(statusOf(job("failed"), job("running"))).isEqualTo("running");
    assertThat(statusOf(job("succeeded"), job("expired"))).isEqualTo("expired");
  }

  @Test
  void aJobNotMadeYetIsWaiting() {
    assertThat(statusOf((JsonNode) null)).isEqualTo("waiting");
    assertThat(Board.statusOf(List.of(job("succeeded"))).equals("succeeded")).isTrue();
    assertThat(statusOf(job("succeeded"), null)).isEqualTo("waiting");
  }
}
