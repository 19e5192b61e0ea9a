package org.kfm.tasks.api.input;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.kfm.tasks.api.error.BodyTooLarge;

/**
 * Counts the bytes of every request body as it is read and refuses it, as 413 problem+json, at the
 * first byte over {@code quarkus.http.limits.max-body-size}. A body that declares its length never
 * gets here when it is too large ({@link BodySizeGuard}); this is what stops a chunked one.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {
  private final long maxBytes;

  public BodyLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
    this.maxBytes = maxBodySize.asLongValue();
  }

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    context.setInputStream(new Counted(context.getInputStream(), maxBytes));
    return context.proceed();
  }

  /** The body up to the limit; past it, reading throws, and closing no longer drains the rest. */
  static final class Counted extends FilterInputStream {
    private final long maxBytes;
    private long read;
    private boolean refused;

    Counted(InputStream body, long maxBytes) {
      super(body);
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      if (skipped > 0) {
        count(skipped);
      }
      return skipped;
    }

    private void count(long n) {
      read += n;
      if (read > maxBytes) {
        refused = true;
        throw new BodyTooLarge(maxBytes);
      }
    }

    @Override
    public void close() throws IOException {
      // Draining what the client still sends would read it all; the connection closes instead.
      if (!refused) {
        super.close();
      }
    }
  }
}
