package dev.twikitorders.twikit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP server that answers the first {@code answered} HTTP requests with a small JSON
 * status (keeping the connection open) and never answers later ones; it notices when the client
 * closes a connection (an aborted exchange). A test fake of the server. Thread-safe.
 */
final class SilentServer implements AutoCloseable {

  private final ServerSocket server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger closedByClient = new AtomicInteger();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final int answered;
  private volatile boolean closing;

  SilentServer(int answered) throws IOException {
    this.answered = answered;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::acceptLoop);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      byte[] end = {'\r', '\n', '\r', '\n'};
      int matched = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        if (matched == 4) {
          // a GET has no body: the next byte would start a new request
          if (requests.incrementAndGet() <= answered) {
            s.getOutputStream()
                .write(
                    ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 15\r\n\r\n{\"status\":\"ok\"}")
                        .getBytes(StandardCharsets.US_ASCII));
          }
          matched = 0;
        }
      }
    } catch (IOException e) {
      // reset by the client: closed as well
    }
    if (!closing) {
      closedByClient.incrementAndGet();
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Request heads received. */
  int requests() {
    return requests.get();
  }

  /** Connections the client closed. */
  int closedByClient() {
    return closedByClient.get();
  }

  @Override
  public void close() throws IOException {
    closing = true;
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
