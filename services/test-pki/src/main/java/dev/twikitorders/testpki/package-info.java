/** Throw-away CAs and certificates for TLS tests, as PEM files and PKCS12 stores. */
package dev.twikitorders.testpki;
