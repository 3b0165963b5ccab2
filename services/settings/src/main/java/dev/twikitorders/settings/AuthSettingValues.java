package dev.twikitorders.settings;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.TokenEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The typed values of one {@link AuthSettingGroup}, made by {@link AuthSettingGroup#read}: every
 * scheme's settings as given, checked one by one; {@link #auth()} builds the chosen scheme's {@link
 * AuthSettings} and names its first missing setting.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows a secret.
 *
 * @param group the settings these values were read from (for the names in errors)
 * @param scheme how calls authenticate
 * @param tokenUrl null when not set
 * @param issuerUrl the issuer whose metadata names the token endpoint; null when not set
 * @param clientId from {@code <prefix>.client.id}, else from {@code <prefix>.client.file}; null
 *     when neither is set
 * @param clientSecret from {@code <prefix>.client.secret.file} when set, else {@code
 *     <prefix>.client.secret}, else from {@code <prefix>.client.file}; null when none is set
 * @param scope space-separated; empty requests none
 * @param authMethod client authentication at the token endpoint
 * @param apiKey the API key (scheme api_key), from the file setting when set; null when not set
 * @param staticHeaders the headers (scheme static_headers); null when not set
 * @param refreshTokenFile the refresh-token store (scheme refresh_token); null when not set
 */
public record AuthSettingValues(
    AuthSettingGroup group,
    AuthScheme scheme,
    URI tokenUrl,
    URI issuerUrl,
    String clientId,
    Secret clientSecret,
    String scope,
    ClientAuthMethod authMethod,
    Secret apiKey,
    AuthSettings.StaticHeaders staticHeaders,
    Path refreshTokenFile) {
  public AuthSettingValues {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(authMethod, "authMethod");
  }

  /**
   * How the client authenticates, built from the settings of the chosen scheme.
   *
   * @throws ConfigException naming the first missing setting of the scheme and its environment
   *     variables
   */
  public AuthSettings auth() {
    return switch (scheme) {
      case CLIENT_CREDENTIALS -> {
        TokenEndpoint endpoint = tokenEndpoint();
        Setting.require(clientId, group.clientId());
        if (clientSecret == null) {
          throw new ConfigException(
              "missing setting "
                  + group.clientSecret().key()
                  + " (scheme client_credentials): put it in a file and set "
                  + group.clientSecretFile().env()
                  + ", or set "
                  + group.clientSecret().env());
        }
        yield new AuthSettings.ClientCredentials(
            endpoint, clientId, clientSecret, authMethod, scope.isBlank() ? null : scope);
      }
      case REFRESH_TOKEN -> {
        TokenEndpoint endpoint = tokenEndpoint();
        Setting.require(clientId, group.clientId());
        Setting.require(refreshTokenFile, group.refreshTokenFile());
        yield new AuthSettings.RefreshToken(
            endpoint, clientId, clientSecret, authMethod, refreshTokenFile);
      }
      case API_KEY -> {
        if (apiKey == null) {
          throw new ConfigException(
              "missing setting "
                  + group.apiKey().key()
                  + " (scheme api_key): put the key in a file and set "
                  + group.apiKeyFile().env()
                  + ", or set "
                  + group.apiKey().env());
        }
        yield new AuthSettings.ApiKey(apiKey);
      }
      case STATIC_HEADERS -> {
        if (staticHeaders == null) {
          throw new ConfigException(
              "missing setting "
                  + group.headers().key()
                  + " (scheme static_headers): put `Name: value` lines in a file and set "
                  + group.headersFile().env()
                  + ", or set "
                  + group.headers().env());
        }
        yield staticHeaders;
      }
      case NONE -> new AuthSettings.None();
    };
  }

  private TokenEndpoint tokenEndpoint() {
    if (tokenUrl != null) {
      return TokenEndpoint.at(tokenUrl);
    }
    if (issuerUrl != null) {
      return TokenEndpoint.discover(issuerUrl);
    }
    throw new ConfigException(
        "missing setting "
            + group.tokenUrl().key()
            + " (scheme "
            + scheme.settingValue()
            + "): set "
            + group.tokenUrl().env()
            + ", or "
            + group.issuerUrl().env()
            + " to find the token endpoint from the issuer's metadata");
  }

  @Override
  public String toString() {
    return "AuthSettingValues[prefix="
        + group.prefix()
        + ", scheme="
        + scheme.settingValue()
        + ", tokenUrl="
        + tokenUrl
        + ", issuerUrl="
        + issuerUrl
        + ", clientId="
        + clientId
        + ", clientSecret="
        + (clientSecret == null ? "none" : "****")
        + ", scope="
        + scope
        + ", authMethod="
        + authMethod
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + ", staticHeaders="
        + staticHeaders
        + ", refreshTokenFile="
        + refreshTokenFile
        + "]";
  }
}
