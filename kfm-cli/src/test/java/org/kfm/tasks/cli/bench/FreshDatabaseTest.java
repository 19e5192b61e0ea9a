package org.kfm.tasks.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreshDatabaseTest {
  @Test
  void theAddressNamesTheNewDatabaseOnTheSameServerKeepingItsParameters() {
    assertThat(FreshDatabase.on("postgresql://db.example:5433/kfm?sslmode=require", "kfm_bench_1"))
        .isEqualTo("postgresql://db.example:5433/kfm_bench_1?sslmode=require");
    assertThat(FreshDatabase.on("postgresql://127.0.0.1:5432/kfm", "postgres"))
        .isEqualTo("postgresql://127.0.0.1:5432/postgres");
  }
}
