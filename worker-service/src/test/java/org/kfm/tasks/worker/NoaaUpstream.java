package org.kfm.tasks.worker;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real HTTP server standing in for the NWS API (WireMock on a free port), started before the
 * application so the worker's base URL points at it. Tests stub it over its admin API ({@code
 * WireMock} client on the same port), which works from any class loader.
 */
public class NoaaUpstream implements QuarkusTestResourceLifecycleManager {
  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    return Map.of("kfm.ingest.noaa.base-url", "http://127.0.0.1:" + server.port());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
