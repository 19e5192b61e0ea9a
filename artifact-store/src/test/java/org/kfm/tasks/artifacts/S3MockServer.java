package org.kfm.tasks.artifacts;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real S3-compatible server (Adobe S3Mock) inside the test JVM, speaking plain HTTP on a free
 * loopback port and keeping its objects under a folder of the test's.
 */
final class S3MockServer implements AutoCloseable {
  private final S3MockApplication app;
  private final int port;

  private S3MockServer(S3MockApplication app, int port) {
    this.app = app;
    this.port = port;
  }

  static S3MockServer start(Path dataDir) throws IOException {
    int port = freePort();
    // S3Mock removes entries from the map it is given, so it must be a mutable one.
    Map<String, Object> properties = new HashMap<>();
    properties.put(S3MockApplication.PROP_HTTP_PORT, port);
    // S3Mock always opens an HTTPS connector too; let it pick any port.
    properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
    properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, dataDir.toString());
    properties.put(S3MockApplication.PROP_SILENT, true);
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    S3MockApplication app = S3MockApplication.start(properties);
    return new S3MockServer(app, port);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    app.stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
