package dev.twikitorders.auth.tls;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Refuses plain {@code http://} URLs to hosts other than loopback: credentials, tokens and data
 * would cross the network unencrypted. Loopback is {@code localhost}, {@code 127.0.0.0/8} and
 * {@code ::1}, recognised from the URL's text alone (no name is looked up: {@code localhost} is
 * taken by its name, any other name is not loopback).
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class InsecureHttp {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private InsecureHttp() {}

  /**
   * Throws unless {@code url} is not plain HTTP, its host is loopback, or {@code allowInsecure}.
   * Only the scheme and host are checked (and named in the error; never the rest of the URL, which
   * may hold credentials).
   *
   * @param settingName the setting that holds {@code url}, named in the error (e.g. {@code
   *     twikit.api.url})
   * @param allowSettingName the setting that allows plain HTTP, named in the error as the way out
   *     (e.g. {@code twikit.allow.insecure.http})
   * @throws IllegalArgumentException "{@code <settingName> is http:// for host <host>, which is not
   *     loopback: use https:// or set <allowSettingName>=true}"
   */
  public static void check(
      URI url, boolean allowInsecure, String settingName, String allowSettingName) {
    Objects.requireNonNull(url, settingName);
    if (allowInsecure || !"http".equalsIgnoreCase(url.getScheme())) {
      return;
    }
    String host = url.getHost();
    if (host == null) {
      throw new IllegalArgumentException(settingName + " is an http:// URL without a host");
    }
    if (!isLoopback(host)) {
      throw new IllegalArgumentException(
          settingName
              + " is http:// for host "
              + host
              + ", which is not loopback: use https:// or set "
              + allowSettingName
              + "=true");
    }
  }

  /**
   * Whether {@code host} (a URL's host: a name, an IPv4 literal, or an IPv6 literal with or without
   * brackets) is loopback, judged without any name lookup.
   */
  public static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1); // "localhost." is the same name, fully qualified
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (IPV4.matcher(h).matches()) {
      String[] octets = h.split("\\.");
      for (String octet : octets) {
        if (Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return Integer.parseInt(octets[0]) == 127;
    }
    if (!h.contains(":")) {
      return false; // a name: never looked up
    }
    int zone = h.indexOf('%');
    if (zone >= 0) {
      h = h.substring(0, zone);
    }
    try {
      // bracketed, an IPv6 literal is parsed or refused, never looked up
      return InetAddress.getByName("[" + h + "]").isLoopbackAddress();
    } catch (UnknownHostException | SecurityException notAnAddress) {
      return false;
    }
  }
}
