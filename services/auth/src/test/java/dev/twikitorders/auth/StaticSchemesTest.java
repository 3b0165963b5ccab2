package dev.twikitorders.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StaticSchemesTest {

  @Test
  void apiKeyIsABearerTokenAndA401IsFinal() {
    Secret key = Secret.of("twenty-api-key-123");
    Authenticator auth = StaticAuthenticator.apiKey(new AuthSettings.ApiKey(key));
    Credentials c = auth.credentials().join();
    assertThat(c.headers()).hasSize(1);
    assertThat(c.headers().get(0).name()).isEqualTo("Authorization");
    assertThat(c.headers().get(0).value().revealAsString()).isEqualTo("Bearer twenty-api-key-123");
    assertThat(c.expiresAt()).isEmpty();
    assertThatThrownBy(() -> auth.renewAfterRejection(c).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> assertThat(e.kind()).isEqualTo(AuthException.Kind.CREDENTIALS_REJECTED));
    assertThat(c + " " + auth + " " + auth.describe() + " " + new AuthSettings.ApiKey(key))
        .doesNotContain("twenty-api-key-123");
  }

  @Test
  void staticHeadersCarryEveryHeaderAndNeverShowTheValues() {
    var settings =
        new AuthSettings.StaticHeaders(
            List.of(
                new Credentials.Header("TWN-InstanceKey", Secret.of("instance-secret-1")),
                new Credentials.Header("TWN-Authentication", Secret.of("auth-secret-2"))));
    Authenticator auth = StaticAuthenticator.headers(settings);
    Credentials c = auth.credentials().join();
    assertThat(c.headers())
        .extracting(Credentials.Header::name)
        .containsExactly("TWN-InstanceKey", "TWN-Authentication");
    String shown = c + " " + settings + " " + auth.describe();
    assertThat(shown).contains("TWN-InstanceKey", "TWN-Authentication");
    assertThat(shown).doesNotContain("instance-secret-1", "auth-secret-2");
  }

  @Test
  void closedAuthenticatorFailsAsClosed() {
    Authenticator auth = StaticAuthenticator.none();
    assertThat(auth.credentials().join().headers()).isEmpty();
    auth.close();
    assertThatThrownBy(() -> auth.credentials().join())
        .cause()
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.kind()).isEqualTo(AuthException.Kind.CLOSED));
  }

  @Test
  void headerNamesAreChecked() {
    assertThatThrownBy(() -> new Credentials.Header("Bad Name", Secret.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> new Credentials.Header("X:Y", Secret.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretsDoNotShowInSettings() {
    var cc =
        new AuthSettings.ClientCredentials(
            TokenEndpoint.discover(java.net.URI.create("https://idp.example")),
            "client-a",
            Secret.of("cc-secret-xyz"),
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            "read");
    var rt =
        new AuthSettings.RefreshToken(
            TokenEndpoint.at(java.net.URI.create("https://idp.example/token")),
            "client-b",
            Secret.of("rt-secret-xyz"),
            ClientAuthMethod.CLIENT_SECRET_POST,
            java.nio.file.Path.of("/var/lib/x/refresh.json"));
    assertThat(cc + " " + rt).doesNotContain("cc-secret-xyz", "rt-secret-xyz").contains("client-a");
  }

  @Test
  void headerLinesParseWithCommentsAndNameTheBadLineWithoutItsValue() {
    var parsed =
        AuthSettings.StaticHeaders.parse(
            "# comment\r\nTWN-InstanceKey:  abc \n\nTWN-Authentication: d:e:f\n", "file h");
    assertThat(parsed.headers())
        .extracting(Credentials.Header::name)
        .containsExactly("TWN-InstanceKey", "TWN-Authentication");
    assertThat(parsed.headers().get(0).value().revealAsString()).isEqualTo("abc");
    assertThat(parsed.headers().get(1).value().revealAsString()).isEqualTo("d:e:f");
    assertThatThrownBy(() -> AuthSettings.StaticHeaders.parse("A: 1\nsecret-without-colon", "f"))
        .hasMessageContaining("f line 2")
        .hasMessageNotContaining("secret-without-colon");
    assertThatThrownBy(() -> AuthSettings.StaticHeaders.parse("A: 1\na: 2", "f"))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> AuthSettings.StaticHeaders.parse("# only\n", "f"))
        .hasMessageContaining("names no header");
  }
}
