package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Http2Test {

  @Test
  void h2cWithPriorKnowledgeServesTheApi() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TwikitSandbox sb = TwikitSandbox.start(SandboxConfig.builder().build())) {
      String token = new SandboxHttp(sb).token();
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false));
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setHost("127.0.0.1")
              .setPort(sb.port())
              .setURI("/configurations/5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f/summary")
              .putHeader("authorization", "Bearer " + token);
      record Reply(HttpVersion version, int status, Buffer body) {}
      Reply reply =
          client
              .request(options)
              .compose(req -> req.send())
              .compose(
                  (HttpClientResponse resp) ->
                      resp.body().map(body -> new Reply(resp.version(), resp.statusCode(), body)))
              .toCompletionStage()
              .toCompletableFuture()
              .get(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
      assertThat(reply.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().toString()).contains("\"sku\":\"SUNG-AVIATOR-BLACK\"");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
