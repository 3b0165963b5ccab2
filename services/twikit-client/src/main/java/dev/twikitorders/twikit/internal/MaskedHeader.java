package dev.twikitorders.twikit.internal;

import org.apache.hc.core5.http.Header;

/**
 * A sensitive HTTP header (Authorization, or a static credential header such as {@code
 * TWN-InstanceKey}) whose {@link #toString()} hides the value: an Authorization header shows its
 * scheme ({@code Bearer ****}), every other header {@code ****} only. HttpClient's HTTP/1.1 header
 * log ({@code org.apache.hc.client5.http.headers} at DEBUG) prints header objects with {@code
 * toString()}, so this keeps bearer tokens and Basic credentials out of it; {@link #isSensitive()}
 * also keeps HTTP/2 HPACK from indexing the value.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class MaskedHeader implements Header {

  private final String name;
  private final String value;

  public MaskedHeader(String name, String value) {
    this.name = name;
    this.value = value;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getValue() {
    return value;
  }

  @Override
  public boolean isSensitive() {
    return true;
  }

  @Override
  public String toString() {
    int space = value.indexOf(' ');
    boolean scheme = space > 0 && name.equalsIgnoreCase("Authorization");
    return name + ": " + (scheme ? value.substring(0, space) + " ****" : "****");
  }
}
