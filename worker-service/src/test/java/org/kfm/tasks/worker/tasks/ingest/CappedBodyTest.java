package org.kfm.tasks.worker.tasks.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The body cap, fed as the HTTP client feeds it: a chunked body has no length to check first. */
class CappedBodyTest {
  private static final class Subscription implements Flow.Subscription {
    boolean canceled;
    long requested;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      canceled = true;
    }
  }

  @Test
  void aBodyWithinTheCapIsReadWhole() throws Exception {
    var body = new ForecastClient.CappedBody(10, OptionalLong.empty());
    var subscription = new Subscription();
    body.onSubscribe(subscription);
    body.onNext(List.of(ByteBuffer.wrap("hello".getBytes()), ByteBuffer.wrap("world".getBytes())));
    body.onComplete();

    assertThat(new String(body.getBody().toCompletableFuture().get())).isEqualTo("helloworld");
    assertThat(subscription.canceled).isFalse();
  }

  @Test
  void oneByteOverTheCapStopsReading() {
    var body = new ForecastClient.CappedBody(10, OptionalLong.empty());
    var subscription = new Subscription();
    body.onSubscribe(subscription);
    body.onNext(List.of(ByteBuffer.wrap("hello".getBytes())));
    body.onNext(List.of(ByteBuffer.wrap("world!".getBytes())));
    body.onNext(List.of(ByteBuffer.wrap("more".getBytes())));

    assertThat(subscription.canceled).isTrue();
    assertThatThrownBy(() -> body.getBody().toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ForecastClient.TooLarge.class);
  }

  @Test
  void aDeclaredLengthOverTheCapIsRefusedBeforeAnyByte() {
    var body = new ForecastClient.CappedBody(10, OptionalLong.of(11));
    var subscription = new Subscription();
    body.onSubscribe(subscription);

    assertThat(subscription.canceled).isTrue();
    assertThat(subscription.requested).isZero();
    assertThat(body.getBody().toCompletableFuture()).isCompletedExceptionally();
  }
}
