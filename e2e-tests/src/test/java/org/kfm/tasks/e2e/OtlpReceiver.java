package org.kfm.tasks.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A collector of the smallest kind: receives the spans the services export over OTLP/HTTP
 * (protobuf, {@code POST /v1/traces}) and keeps, of each, the service that sent it, its ids, its
 * parent and its name. Reads the protobuf wire format by hand: those few fields need no generated
 * classes.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One exported span. {@code parentSpanId} is empty for a trace's root. */
  record Span(String service, String traceId, String spanId, String parentSpanId, String name) {}

  private final HttpServer server;
  private final List<Span> spans = new ArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/", receiver::receive);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a service sends its spans: {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Span> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  List<Span> trace(String traceId) {
    return spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  Optional<Span> span(String traceId, String name) {
    return trace(traceId).stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      List<Span> received = new ArrayList<>();
      // ExportTraceServiceRequest: 1 = ResourceSpans
      for (Field resourceSpans : Field.all(body.readAllBytes())) {
        if (resourceSpans.number == 1) {
          readResourceSpans(resourceSpans.bytes, received);
        }
      }
      synchronized (spans) {
        spans.addAll(received);
      }
      // An empty ExportTraceServiceResponse: everything accepted.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    } finally {
      exchange.close();
    }
  }

  /** ResourceSpans: 1 = Resource (1 = attributes), 2 = ScopeSpans (2 = spans). */
  private static void readResourceSpans(byte[] message, List<Span> into) {
    String service = "";
    List<byte[]> scopeSpans = new ArrayList<>();
    for (Field field : Field.all(message)) {
      if (field.number == 1) {
        service = serviceName(field.bytes);
      } else if (field.number == 2) {
        scopeSpans.add(field.bytes);
      }
    }
    for (byte[] scope : scopeSpans) {
      for (Field span : Field.all(scope)) {
        if (span.number == 2) {
          into.add(readSpan(service, span.bytes));
        }
      }
    }
  }

  /** Resource attributes are KeyValue (1 = key, 2 = AnyValue with 1 = string value). */
  private static String serviceName(byte[] resource) {
    for (Field attribute : Field.all(resource)) {
      if (attribute.number != 1) {
        continue;
      }
      String key = null;
      String value = null;
      for (Field part : Field.all(attribute.bytes)) {
        if (part.number == 1) {
          key = part.text();
        } else if (part.number == 2) {
          for (Field any : Field.all(part.bytes)) {
            if (any.number == 1) {
              value = any.text();
            }
          }
        }
      }
      if ("service.name".equals(key)) {
        return value;
      }
    }
    return "";
  }

  /** Span: 1 = trace id, 2 = span id, 4 = parent span id, 5 = name. */
  private static Span readSpan(String service, byte[] message) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    for (Field field : Field.all(message)) {
      switch (field.number) {
        case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
        case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
        case 4 -> parent = HexFormat.of().formatHex(field.bytes);
        case 5 -> name = field.text();
        default -> {}
      }
    }
    return new Span(service, traceId, spanId, parent, name);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A length-delimited field of a protobuf message (other wire types are skipped). */
  private record Field(int number, byte[] bytes) {
    String text() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    static List<Field> all(byte[] message) {
      List<Field> fields = new ArrayList<>();
      int[] at = {0};
      while (at[0] < message.length) {
        long tag = varint(message, at);
        int number = (int) (tag >>> 3);
        switch ((int) (tag & 7)) {
          case 0 -> varint(message, at);
          case 1 -> at[0] += 8;
          case 5 -> at[0] += 4;
          case 2 -> {
            int length = (int) varint(message, at);
            byte[] bytes = new byte[length];
            System.arraycopy(message, at[0], bytes, 0, length);
            at[0] += length;
            fields.add(new Field(number, bytes));
          }
          default -> throw new IllegalArgumentException("unsupported wire type in " + tag);
        }
      }
      return fields;
    }

    private static long varint(byte[] message, int[] at) {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = message[at[0]++];
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }
  }
}
