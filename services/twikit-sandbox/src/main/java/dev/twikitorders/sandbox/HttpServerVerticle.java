package dev.twikitorders.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * One HTTP server on one event loop. Several instances on one port share it (Vert.x balances
 * connections over them). Plain: HTTP/1.1 and h2c (prior knowledge and upgrade). TLS (when the
 * options carry key material): HTTP/1.1 and h2 by ALPN.
 */
final class HttpServerVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final Handler<HttpServerRequest> handler;

  /**
   * @param options the server options (host, port, TLS); copied
   */
  HttpServerVerticle(HttpServerOptions options, Handler<HttpServerRequest> handler) {
    this.options = new HttpServerOptions(options);
    this.handler = handler;
  }

  private volatile int actualPort = -1;

  /** The port bound, once started. */
  int actualPort() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(options)
        .requestHandler(handler)
        .listen()
        .onSuccess((HttpServer s) -> actualPort = s.actualPort());
  }
}
