package dev.twikitorders.auth;

import java.util.Locale;

/**
 * The schemes of the auth layer, by the name settings use ({@link #settingValue()}).
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum AuthScheme {
  /** OAuth 2.0 client credentials grant. */
  CLIENT_CREDENTIALS,
  /** OAuth 2.0 refresh token grant with rotation, tokens from {@code auth login}. */
  REFRESH_TOKEN,
  /** A static API key as bearer token. */
  API_KEY,
  /** Named headers with secret values. */
  STATIC_HEADERS,
  /** No credentials. */
  NONE;

  /** {@code client_credentials}, {@code refresh_token}, ... */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
