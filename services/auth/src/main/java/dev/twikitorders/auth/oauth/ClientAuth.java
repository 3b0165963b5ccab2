package dev.twikitorders.auth.oauth;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;

/**
 * Client authentication at the token endpoint (RFC 6749 section 2.3.1) as Nimbus objects.
 *
 * <p>Thread-safety: stateless.
 */
final class ClientAuth {

  private ClientAuth() {}

  /**
   * {@code client_secret_basic} or {@code client_secret_post}; null for a public client ({@code
   * secret} null), which sends only its {@code client_id}.
   */
  static ClientAuthentication of(String clientId, Secret secret, ClientAuthMethod method) {
    if (secret == null) {
      return null;
    }
    ClientID id = new ClientID(clientId);
    com.nimbusds.oauth2.sdk.auth.Secret s =
        new com.nimbusds.oauth2.sdk.auth.Secret(secret.revealAsString());
    return method == ClientAuthMethod.CLIENT_SECRET_POST
        ? new ClientSecretPost(id, s)
        : new ClientSecretBasic(id, s);
  }
}
