/**
 * OAuth 2.0 for our HTTP clients, built on the Nimbus OAuth 2.0 SDK: {@link
 * dev.twikitorders.auth.oauth.TokenManager} (client credentials and refresh token grants, token
 * caching, renewal, single flight and fail-fast backoff), {@link
 * dev.twikitorders.auth.oauth.Discovery} (RFC 8414), {@link
 * dev.twikitorders.auth.oauth.ClientRegistrar} (RFC 7591) and {@link
 * dev.twikitorders.auth.oauth.PkceLogin} (authorization code with PKCE, RFC 7636, and a loopback
 * redirect, RFC 8252). Every request goes through a caller-supplied {@link
 * dev.twikitorders.auth.http.AuthHttp}.
 */
package dev.twikitorders.auth.oauth;
