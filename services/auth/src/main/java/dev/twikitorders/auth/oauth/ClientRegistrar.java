package dev.twikitorders.auth.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.twikitorders.auth.AuthEvents;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.http.AuthHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Registers a client dynamically (RFC 7591): sends the {@link ClientMetadata} as a Nimbus {@link
 * ClientRegistrationRequest} (with the initial access token as bearer token when the server wants
 * one) and parses the {@code 201} answer as a {@link
 * com.nimbusds.oauth2.sdk.client.ClientInformationResponse}.
 *
 * <p>Failures complete the future with an {@link AuthException}: a 4xx ({@code
 * invalid_redirect_uri}, {@code invalid_client_metadata}, {@code invalid_token}, ...) is {@link
 * Kind#CREDENTIALS_REJECTED} with the error code and description in the message; a 2xx without
 * {@code client_id}, a redirect or an oversized body {@link Kind#INVALID_RESPONSE}; 5xx, 429, I/O
 * errors and timeouts as for token requests. Messages never contain the initial access token or the
 * issued secret.
 *
 * <p>Thread-safety: stateless, thread-safe.
 */
public final class ClientRegistrar {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientRegistrar() {}

  /**
   * Registers a client at {@code registrationEndpoint}.
   *
   * @param initialAccessToken the bearer token the server requires for registration, or null
   */
  public static CompletableFuture<RegisteredClient> register(
      URI registrationEndpoint, ClientMetadata metadata, Secret initialAccessToken, AuthHttp http) {
    Objects.requireNonNull(registrationEndpoint, "registrationEndpoint");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(http, "http");
    HTTPRequest request =
        new ClientRegistrationRequest(
                registrationEndpoint,
                metadata,
                initialAccessToken == null
                    ? null
                    : new BearerAccessToken(initialAccessToken.revealAsString()))
            .toHTTPRequest();
    request.setAccept("application/json");
    String context = "registration endpoint " + registrationEndpoint;
    List<Secret> secrets = new ArrayList<>();
    if (initialAccessToken != null) {
      secrets.add(initialAccessToken);
    }
    return OAuthHttp.send(
            http,
            request,
            "registration endpoint",
            Clock.systemUTC(),
            AuthEvents.NOOP::tokenRequest)
        .thenApply(response -> parse(response, secrets))
        .handle(
            (client, error) -> {
              if (error != null) {
                throw StepException.of(error).toAuthException(context, null);
              }
              return client;
            });
  }

  private static RegisteredClient parse(HTTPResponse response, List<Secret> secrets) {
    int status = response.getStatusCode();
    ClientRegistrationResponse parsed;
    try {
      parsed = ClientRegistrationResponse.parse(response);
    } catch (ParseException e) {
      if (status / 100 == 2) {
        throw invalid(status, "HTTP " + status + " without a valid client information response");
      }
      throw OAuthHttp.rejected(
          status, "http_" + status, null, "the registration endpoint refused the client", secrets);
    }
    if (!parsed.indicatesSuccess()) {
      ErrorObject err = ((ClientRegistrationErrorResponse) parsed).getErrorObject();
      String code = err == null || err.getCode() == null ? "http_" + status : err.getCode();
      throw OAuthHttp.rejected(
          status,
          code,
          err == null ? null : err.getDescription(),
          "the registration endpoint refused the client: " + code,
          secrets);
    }
    ClientInformation info = parsed.toSuccessResponse().getClientInformation();
    com.nimbusds.oauth2.sdk.auth.Secret secret = info.getSecret();
    Instant expires =
        secret == null || secret.getExpirationDate() == null
            ? null
            : secret.getExpirationDate().toInstant();
    return new RegisteredClient(
        info.getID().getValue(),
        secret == null || secret.getValue() == null ? null : Secret.of(secret.getValue()),
        expires != null && expires.getEpochSecond() > 0 ? expires : null,
        metadataJson(response.getBody()));
  }

  /** The response body without the secrets it carries. */
  private static String metadataJson(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root instanceof ObjectNode o) {
        o.remove("client_secret");
        o.remove("registration_access_token");
        return o.toString();
      }
    } catch (JsonProcessingException e) {
      // Nimbus parsed it; cannot happen
    }
    return "{}";
  }

  private static StepException invalid(int status, String what) {
    return new StepException(
        Kind.INVALID_RESPONSE,
        status,
        null,
        null,
        what,
        "registration endpoint answered " + what,
        null);
  }
}
