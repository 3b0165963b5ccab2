/**
 * TLS key material for our HTTP clients, typed: {@link dev.twikitorders.auth.tls.TrustMaterial}
 * (the CAs to trust), {@link dev.twikitorders.auth.tls.KeyMaterial} (the client certificate and key
 * for mutual TLS), both in PKCS12, JKS or PEM ({@link dev.twikitorders.auth.tls.StoreType}),
 * combined in {@link dev.twikitorders.auth.tls.TlsSettings} and turned into a {@link
 * javax.net.ssl.SSLContext} by {@link dev.twikitorders.auth.tls.SslContexts}; {@link
 * dev.twikitorders.auth.tls.InsecureHttp} refuses plain {@code http://} to hosts other than
 * loopback. JDK only (no BouncyCastle): PEM keys must be PKCS#8, plain or encrypted (PBES2).
 * Passwords are {@link dev.twikitorders.auth.Secret}s and never appear in messages or {@code
 * toString()}.
 */
package dev.twikitorders.auth.tls;
