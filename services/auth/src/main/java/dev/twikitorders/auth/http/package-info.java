/**
 * How the auth layer's own requests reach the network: {@link dev.twikitorders.auth.http.AuthHttp}.
 */
package dev.twikitorders.auth.http;
