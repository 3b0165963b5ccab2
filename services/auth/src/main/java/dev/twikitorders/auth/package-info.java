/**
 * The auth layer of our HTTP clients: {@link dev.twikitorders.auth.Authenticator} and its schemes,
 * built from {@link dev.twikitorders.auth.AuthSettings} by {@link
 * dev.twikitorders.auth.Authenticators}; {@link dev.twikitorders.auth.Secret} for every secret
 * value. No Kafka, no HTTP client of its own choosing: token, discovery and registration requests
 * go through an {@link dev.twikitorders.auth.http.AuthHttp} the caller supplies.
 */
package dev.twikitorders.auth;
