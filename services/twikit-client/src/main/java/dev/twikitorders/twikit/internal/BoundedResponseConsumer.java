package dev.twikitorders.twikit.internal;

import dev.twikitorders.twikit.internal.Transport.ResponseTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.ByteArrayBuffer;

/**
 * Reads a response into a {@link SimpleHttpResponse} like HttpClient's {@code
 * SimpleResponseConsumer}, but refuses bodies larger than a limit: a {@code Content-Length} above
 * it fails the exchange before any body byte is read, and a body without one (chunked, HTTP/2)
 * fails as soon as the bytes read pass it. Either way the exchange fails with {@link
 * ResponseTooLargeException} and HttpClient discards the connection, so an oversized body never
 * sits in memory.
 *
 * <p>Thread-safety: one instance per exchange; HttpClient calls it from one I/O thread at a time.
 */
final class BoundedResponseConsumer implements AsyncResponseConsumer<SimpleHttpResponse> {

  private static final int INITIAL_CAPACITY = 8 * 1024;

  private final int limit;
  private SimpleHttpResponse response;
  private ContentType contentType;
  private FutureCallback<SimpleHttpResponse> callback;
  private ByteArrayBuffer buffer;

  BoundedResponseConsumer(int limit) {
    this.limit = limit;
  }

  @Override
  public void consumeResponse(
      HttpResponse head,
      EntityDetails entity,
      HttpContext context,
      FutureCallback<SimpleHttpResponse> resultCallback)
      throws HttpException, IOException {
    SimpleHttpResponse copy = SimpleHttpResponse.copy(head);
    if (entity == null) {
      resultCallback.completed(copy);
      return;
    }
    long length = entity.getContentLength();
    if (length > limit) {
      throw new ResponseTooLargeException(head.getCode(), limit, length);
    }
    this.response = copy;
    this.contentType =
        entity.getContentType() == null ? null : ContentType.parseLenient(entity.getContentType());
    this.callback = resultCallback;
    this.buffer =
        new ByteArrayBuffer((int) Math.min(length >= 0 ? length : INITIAL_CAPACITY, limit));
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) {
    // 1xx: nothing to keep
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    capacityChannel.update(Integer.MAX_VALUE);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    ByteArrayBuffer b = buffer;
    if (b == null) {
      return; // failed or released already
    }
    if ((long) b.length() + src.remaining() > limit) {
      int status = response.getCode();
      releaseResources();
      throw new ResponseTooLargeException(status, limit, -1);
    }
    b.append(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) {
    SimpleHttpResponse r = response;
    FutureCallback<SimpleHttpResponse> cb = callback;
    if (r == null || cb == null) {
      return;
    }
    r.setBody(buffer.toByteArray(), contentType);
    releaseResources();
    cb.completed(r);
  }

  @Override
  public void failed(Exception cause) {
    releaseResources();
  }

  @Override
  public void releaseResources() {
    buffer = null;
    response = null;
    callback = null;
  }
}
