package dev.twikitorders.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * One HTTP server on one event loop. Several instances on one port share it (Vert.x balances
 * connections over them). HTTP/1.1 and h2c (prior knowledge and upgrade) are both accepted.
 */
final class HttpServerVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Handler<HttpServerRequest> handler;

  HttpServerVerticle(String host, int port, Handler<HttpServerRequest> handler) {
    this.host = host;
    this.port = port;
    this.handler = handler;
  }

  private volatile int actualPort = -1;

  /** The port bound, once started. */
  int actualPort() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setHttp2ClearTextEnabled(true)
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            .setReuseAddress(true);
    return vertx
        .createHttpServer(options)
        .requestHandler(handler)
        .listen()
        .onSuccess((HttpServer s) -> actualPort = s.actualPort());
  }
}
