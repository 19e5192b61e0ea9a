package org.kfm.tasks.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DurabilityTest {
  private static Map<String, String> settings(String fsync, String sync, String pageWrites) {
    return Map.of("fsync", fsync, "synchronous_commit", sync, "full_page_writes", pageWrites);
  }

  @Test
  void onlyFsyncWithSynchronousCommitsAndFullPageWritesIsDurable() {
    assertThat(JobStore.durable(settings("on", "on", "on"))).isTrue();
    assertThat(JobStore.durable(settings("on", "local", "on"))).isTrue();
    assertThat(JobStore.durable(settings("off", "on", "on"))).isFalse();
    assertThat(JobStore.durable(settings("on", "off", "on"))).isFalse();
    assertThat(JobStore.durable(settings("on", "on", "off"))).isFalse();
    assertThat(JobStore.durable(Map.of())).isFalse();
  }

  /** Reads the server the suite runs against (127.0.0.1:5432); it creates nothing there. */
  @Test
  void aServersRecordedSettingsIncludeAutovacuum() throws Exception {
    try (JobStore store = new JobStore("postgresql://127.0.0.1:5432/postgres", "postgres")) {
      assertThat(store.durabilitySettings())
          .containsKeys(
              "server_version", "fsync", "synchronous_commit", "full_page_writes", "autovacuum");
    }
  }
}
