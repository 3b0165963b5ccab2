package dev.twikitorders.twikit;

/**
 * Which HTTP version the client speaks.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum HttpProtocol {
  /** HTTP/1.1 only (the default): one request per pooled connection at a time. */
  HTTP_1_1,
  /**
   * HTTP/2 only: h2c with prior knowledge on {@code http://} URLs, h2 via ALPN on {@code https://}.
   * Requests are multiplexed over few connections.
   */
  HTTP_2,
  /** HTTP/2 when the server offers it via TLS ALPN, HTTP/1.1 otherwise (plain {@code http://}). */
  NEGOTIATE
}
