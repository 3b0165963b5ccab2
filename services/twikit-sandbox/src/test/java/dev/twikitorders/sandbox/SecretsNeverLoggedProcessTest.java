package dev.twikitorders.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twikitorders.sandbox.OAuthFlow.Pkce;
import dev.twikitorders.sandbox.OAuthFlow.Tokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command line in a child JVM with every secret flag and DEBUG logging, drives every
 * authorization server path (also the failing ones), and checks that no secret, code or token
 * reached stdout or stderr.
 */
class SecretsNeverLoggedProcessTest {
  static final String ID = "5f0c1a0e-8a3b-4c1e-9d2f-0a1b2c3d4e5f";

  @Test
  void noSecretCodeOrTokenInTheOutput(@TempDir Path dir) throws Exception {
    String clientSecret = "cl1ent-s3cret-q";
    String apiKey = "ap1-k3y-value-w";
    String instanceKey = "inst4nce-k3y-e";
    String authHeader = "auth-h3ader-r";
    String regToken = "reg1str-t0ken-t";
    Path apiKeyFile = Files.writeString(dir.resolve("api-key"), apiKey + "\n");
    Path headersFile =
        Files.writeString(
            dir.resolve("headers"),
            "# Twikit static headers\nTWN-InstanceKey: "
                + instanceKey
                + "\n\nTWN-Authentication: "
                + authHeader
                + "\n");
    Path regFile = Files.writeString(dir.resolve("reg-token"), regToken);
    Path logback =
        Files.writeString(
            dir.resolve("logback.xml"),
            "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<target>System.err</target><encoder><pattern>%level %logger - %msg%n</pattern>"
                + "</encoder></appender><logger name=\"dev.twikitorders\" level=\"DEBUG\"/>"
                + "<root level=\"INFO\"><appender-ref ref=\"E\"/></root></configuration>");
    Path err = dir.resolve("stderr.txt");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                SandboxMain.class.getName(),
                "--port",
                "0",
                "--event-loops",
                "1",
                "--client-secret",
                clientSecret,
                "--api-key-file",
                apiKeyFile.toString(),
                "--static-headers-file",
                headersFile.toString(),
                "--registration-token-file",
                regFile.toString(),
                "--test-user",
                "bob")
            .redirectError(err.toFile())
            .start();
    List<String> secrets =
        new ArrayList<>(List.of(clientSecret, apiKey, instanceKey, authHeader, regToken));
    List<String> lines = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("Configurations:")) {
          break;
        }
      }
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).startsWith("Authorization endpoint: http://"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("API credentials:")
                      .contains("API key", "TWN-InstanceKey", "TWN-Authentication", "bob"));
      URI api = URI.create(lines.get(0).substring("Twikit sandbox API: ".length()));
      TwikitSandboxClient c = new TwikitSandboxClient(api);

      // registration, without and with the token
      assertThat(
              c.register("{\"redirect_uris\":[\"" + OAuthFlow.REDIRECT + "\"]}", "wrong")
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> reg =
          c.register("{\"redirect_uris\":[\"" + OAuthFlow.REDIRECT + "\"]}", regToken);
      assertThat(reg.statusCode()).isEqualTo(201);
      String id = SandboxHttp.json(reg).get("client_id").asText();
      String secret = SandboxHttp.json(reg).get("client_secret").asText();
      secrets.add(secret);

      // code flow, a failing exchange, rotation and reuse
      Pkce pkce = Pkce.s256();
      String code = c.code(id, pkce);
      secrets.add(code);
      Tokens t0 =
          OAuthFlow.tokens(
              c.token(
                  OAuthFlow.form(
                      "grant_type",
                      "authorization_code",
                      "code",
                      code,
                      "redirect_uri",
                      OAuthFlow.REDIRECT,
                      "code_verifier",
                      pkce.verifier()),
                  id,
                  secret));
      secrets.add(t0.accessToken());
      secrets.add(t0.refreshToken());
      Tokens t1 =
          OAuthFlow.tokens(
              c.token(
                  OAuthFlow.form("grant_type", "refresh_token", "refresh_token", t0.refreshToken()),
                  id,
                  secret));
      secrets.add(t1.accessToken());
      secrets.add(t1.refreshToken());
      assertThat(
              c.token(
                      OAuthFlow.form(
                          "grant_type", "refresh_token", "refresh_token", t0.refreshToken()),
                      id,
                      secret)
                  .statusCode())
          .isEqualTo(400);
      // reusing the code revokes its family (already revoked here)
      assertThat(
              c.token(
                      OAuthFlow.form(
                          "grant_type",
                          "authorization_code",
                          "code",
                          code,
                          "redirect_uri",
                          OAuthFlow.REDIRECT,
                          "code_verifier",
                          pkce.verifier()),
                      id,
                      secret)
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              c.token("grant_type=client_credentials", "demo", "wrong-" + clientSecret)
                  .statusCode())
          .isEqualTo(401);

      // API credentials, right and wrong
      assertThat(c.api("Authorization", "Bearer " + apiKey).statusCode()).isEqualTo(200);
      assertThat(c.api("Authorization", "Bearer x" + apiKey).statusCode()).isEqualTo(401);
      assertThat(
              c.api("TWN-InstanceKey", instanceKey, "TWN-Authentication", authHeader).statusCode())
          .isEqualTo(200);
      assertThat(
              c.api("TWN-InstanceKey", instanceKey, "TWN-Authentication", "x" + authHeader)
                  .statusCode())
          .isEqualTo(401);
      assertThat(c.api("Authorization", "Bearer " + t1.accessToken()).statusCode()).isEqualTo(401);

      // the delivery sink takes the same credentials
      assertThat(c.sink("k1", "Authorization", "Bearer " + apiKey).statusCode()).isEqualTo(200);
      assertThat(c.sink("k2", "Authorization", "Bearer x" + apiKey).statusCode()).isEqualTo(401);
      assertThat(
              c.sink("k3", "TWN-InstanceKey", instanceKey, "TWN-Authentication", authHeader)
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              c.sink("k4", "TWN-InstanceKey", "x" + instanceKey, "TWN-Authentication", authHeader)
                  .statusCode())
          .isEqualTo(401);
      assertThat(c.sink("k5", "Authorization", "Bearer " + t1.accessToken()).statusCode())
          .isEqualTo(401);

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String stderr = Files.readString(err);
      assertThat(stderr).contains("DEBUG").contains("Refresh token reuse").contains(id);
      String all = String.join("\n", lines) + "\n" + stderr;
      for (String s : secrets) {
        assertThat(all).doesNotContain(s);
      }
    } finally {
      p.destroyForcibly();
    }
  }

  /** Requests against the child's URL. */
  private record TwikitSandboxClient(URI base) {
    HttpResponse<String> register(String json, String bearer) {
      return SandboxHttp.send(
          HttpRequest.newBuilder(URI.create(base + "/oauth2/register"))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + bearer)
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build());
    }

    String code(String clientId, Pkce pkce) {
      HttpResponse<String> r =
          SandboxHttp.send(
              HttpRequest.newBuilder(
                      URI.create(
                          base
                              + "/oauth2/authorize?"
                              + OAuthFlow.form(
                                  "response_type",
                                  "code",
                                  "client_id",
                                  clientId,
                                  "redirect_uri",
                                  OAuthFlow.REDIRECT,
                                  "code_challenge",
                                  pkce.challenge(),
                                  "code_challenge_method",
                                  "S256")))
                  .build());
      assertThat(r.statusCode()).isEqualTo(302);
      return OAuthFlow.query(OAuthFlow.location(r)).get("code");
    }

    HttpResponse<String> token(String form, String user, String password) {
      return SandboxHttp.send(
          HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header(
                  "Authorization",
                  "Basic "
                      + java.util.Base64.getEncoder()
                          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build());
    }

    HttpResponse<String> sink(String key, String... headers) {
      return SandboxHttp.send(
          HttpRequest.newBuilder(URI.create(base + "/sink"))
              .headers(headers)
              .header("Idempotency-Key", key)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"lineId\":\"" + key + "\"}"))
              .build());
    }

    HttpResponse<String> api(String... headers) {
      return SandboxHttp.send(
          HttpRequest.newBuilder(URI.create(base + "/configurations/" + ID))
              .headers(headers)
              .build());
    }
  }
}
