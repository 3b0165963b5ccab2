/**
 * Where refresh tokens live between runs: {@link dev.twikitorders.auth.store.RefreshTokenStore} and
 * its file implementation {@link dev.twikitorders.auth.store.FileRefreshTokenStore}, whose refresh
 * protocol lets several processes share one store (one refreshes at a time, none uses a
 * rotated-away refresh token); {@link dev.twikitorders.auth.store.SecureFiles} writes owner-only
 * files atomically and durably.
 */
package dev.twikitorders.auth.store;
