package dev.twikitorders.twikit;

import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.TokenEndpoint;
import dev.twikitorders.auth.tls.InsecureHttp;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.capacity.ConcurrencySettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable configuration of a {@link TwikitApi} client. Build it with {@link #builder()}; every
 * setting but apiUrl and the credentials has a default. The credentials are either {@link
 * Builder#auth(AuthSettings)} (any scheme of the auth module: OAuth 2.0 client credentials or
 * refresh token, API key, static headers, none) or the client credentials shorthand: tokenUrl (or
 * issuerUrl for RFC 8414 discovery), clientId, clientSecret, scope, authMethod.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>apiUrl</td><td>required; base URL, the {@link TwikitPaths} are appended</td></tr>
 *   <tr><td>auth</td><td>required unless the shorthand below is used; not both</td></tr>
 *   <tr><td>tokenUrl</td><td>shorthand; the OAuth 2.0 token endpoint (RFC 6749 section 3.2)</td></tr>
 *   <tr><td>issuerUrl</td><td>shorthand instead of tokenUrl: the token endpoint is discovered from
 *       the issuer's metadata (RFC 8414) on the first token request</td></tr>
 *   <tr><td>clientId, clientSecret</td><td>shorthand; required with tokenUrl or issuerUrl</td></tr>
 *   <tr><td>scope</td><td>none (the server's default scopes)</td></tr>
 *   <tr><td>authMethod</td><td>{@link ClientAuthMethod#CLIENT_SECRET_BASIC}</td></tr>
 *   <tr><td>connectTimeout</td><td>5 s</td></tr>
 *   <tr><td>responseTimeout</td><td>10 s (per attempt)</td></tr>
 *   <tr><td>maxInFlight</td><td>256 requests: the ceiling of the in-flight limit; callers beyond
 *       the limit queue</td></tr>
 *   <tr><td>concurrencyMode</td><td>{@link ConcurrencySettings.Mode#ADAPTIVE}: the limit adapts
 *       between minInFlight and maxInFlight from observed latency and overload (see {@link
 *       dev.twikitorders.capacity.ConcurrencyLimiter}); {@code FIXED}: always maxInFlight</td></tr>
 *   <tr><td>minInFlight</td><td>8 (at most maxInFlight): the adaptive limit's floor</td></tr>
 *   <tr><td>maxRequestsPerSecond</td><td>0 = none: a cap on requests per second (retries
 *       included); a 429 lowers the rate below it for every call (see {@link
 *       dev.twikitorders.capacity.RateGate})</td></tr>
 *   <tr><td>maxConnections</td><td>maxInFlight for HTTP/1.1, 4 for HTTP/2</td></tr>
 *   <tr><td>httpProtocol</td><td>{@link HttpProtocol#HTTP_1_1}</td></tr>
 *   <tr><td>maxResponseBytes</td><td>4 MiB (4194304); larger bodies fail as INVALID_RESPONSE</td></tr>
 *   <tr><td>retryPolicy</td><td>{@link RetryPolicy#DEFAULT}</td></tr>
 *   <tr><td>circuitBreaker</td><td>{@link CircuitBreakerSettings#DEFAULT}</td></tr>
 *   <tr><td>paths</td><td>{@link TwikitPaths#DEFAULT}</td></tr>
 *   <tr><td>tls</td><td>{@link TlsSettings#DEFAULT}: the JVM's trusted CAs, no client
 *       certificate; used for the API and the token endpoint alike</td></tr>
 *   <tr><td>allowInsecureHttp</td><td>false: an {@code http://} apiUrl or tokenUrl whose host is
 *       not loopback is refused</td></tr>
 *   <tr><td>meterRegistry</td><td>none (metrics go to a private no-op registry)</td></tr>
 *   <tr><td>clientName</td><td>{@code twikit}; the {@code client} metric tag</td></tr>
 *   <tr><td>clock</td><td>{@link Clock#systemUTC()}; drives token expiry, breaker and Retry-After</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the client secret, other credentials or TLS passwords.
 * Building the config reads no file: the TLS material is read (and checked) when the client is
 * created.
 *
 * <p>Thread-safety: immutable and thread-safe; the builder is not thread-safe.
 */
public final class TwikitClientConfig {

  /** Default of {@link #maxResponseBytes()}: 4 MiB. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private final URI apiUrl;
  private final AuthSettings auth;
  private final boolean shorthand;
  private final URI tokenUrl;
  private final URI issuerUrl;
  private final String clientId;
  private final Secret clientSecret;
  private final String scope;
  private final ClientAuthMethod authMethod;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final int maxInFlight;
  private final ConcurrencySettings concurrency;
  private final double maxRequestsPerSecond;
  private final int maxConnections;
  private final HttpProtocol httpProtocol;
  private final int maxResponseBytes;
  private final RetryPolicy retryPolicy;
  private final CircuitBreakerSettings circuitBreaker;
  private final TwikitPaths paths;
  private final TlsSettings tls;
  private final boolean allowInsecureHttp;
  private final MeterRegistry meterRegistry;
  private final String clientName;
  private final Clock clock;

  private TwikitClientConfig(Builder b) {
    this.apiUrl = httpUrl(Objects.requireNonNull(b.apiUrl, "apiUrl is required"), "apiUrl");
    this.allowInsecureHttp = b.allowInsecureHttp;
    InsecureHttp.check(apiUrl, allowInsecureHttp, "apiUrl", "allowInsecureHttp");
    this.authMethod = Objects.requireNonNull(b.authMethod, "authMethod");
    if (b.auth != null) {
      if (b.tokenUrl != null
          || b.issuerUrl != null
          || b.clientId != null
          || b.clientSecret != null
          || b.scope != null) {
        throw new IllegalArgumentException(
            "set either auth(...) or the client credentials shorthand (tokenUrl or issuerUrl,"
                + " clientId, clientSecret, scope), not both");
      }
      this.shorthand = false;
      this.auth = b.auth;
      this.tokenUrl = null;
      this.issuerUrl = null;
      this.clientId = null;
      this.clientSecret = null;
      this.scope = null;
      checkAuthUrls(auth, allowInsecureHttp);
    } else {
      if (b.tokenUrl != null && b.issuerUrl != null) {
        throw new IllegalArgumentException("set tokenUrl or issuerUrl, not both");
      }
      if (b.issuerUrl == null) {
        Objects.requireNonNull(b.tokenUrl, "tokenUrl is required (or issuerUrl, or auth(...))");
      }
      this.shorthand = true;
      this.tokenUrl = b.tokenUrl == null ? null : httpUrl(b.tokenUrl, "tokenUrl");
      this.issuerUrl = b.issuerUrl == null ? null : httpUrl(b.issuerUrl, "issuerUrl");
      this.clientId = requireText(b.clientId, "clientId");
      this.clientSecret = Objects.requireNonNull(b.clientSecret, "clientSecret is required");
      this.scope = b.scope == null || b.scope.isBlank() ? null : b.scope.trim();
      this.auth =
          new AuthSettings.ClientCredentials(
              tokenUrl != null ? TokenEndpoint.at(tokenUrl) : TokenEndpoint.discover(issuerUrl),
              clientId,
              clientSecret,
              authMethod,
              scope);
      checkAuthUrls(auth, allowInsecureHttp);
    }
    this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
    this.responseTimeout = positive(b.responseTimeout, "responseTimeout");
    if (b.maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1");
    }
    this.maxInFlight = b.maxInFlight;
    if (b.minInFlight != null && (b.minInFlight < 1 || b.minInFlight > b.maxInFlight)) {
      throw new IllegalArgumentException(
          "minInFlight must lie between 1 and maxInFlight ("
              + b.maxInFlight
              + "), was "
              + b.minInFlight);
    }
    int floor = b.minInFlight != null ? b.minInFlight : Math.min(8, b.maxInFlight);
    this.concurrency =
        Objects.requireNonNull(b.concurrencyMode, "concurrencyMode")
                == ConcurrencySettings.Mode.FIXED
            ? ConcurrencySettings.fixed(b.maxInFlight)
            : ConcurrencySettings.adaptive(floor, b.maxInFlight);
    if (!(b.maxRequestsPerSecond >= 0) || Double.isInfinite(b.maxRequestsPerSecond)) {
      throw new IllegalArgumentException(
          "maxRequestsPerSecond must be >= 0 (0 = no cap), was " + b.maxRequestsPerSecond);
    }
    this.maxRequestsPerSecond = b.maxRequestsPerSecond;
    this.httpProtocol = Objects.requireNonNull(b.httpProtocol, "httpProtocol");
    if (b.maxConnections != null && b.maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1");
    }
    this.maxConnections =
        b.maxConnections != null
            ? b.maxConnections
            : (httpProtocol == HttpProtocol.HTTP_2 ? 4 : maxInFlight);
    if (b.maxResponseBytes < 1) {
      throw new IllegalArgumentException(
          "maxResponseBytes must be >= 1, was " + b.maxResponseBytes);
    }
    this.maxResponseBytes = b.maxResponseBytes;
    this.retryPolicy = Objects.requireNonNull(b.retryPolicy, "retryPolicy");
    this.circuitBreaker = Objects.requireNonNull(b.circuitBreaker, "circuitBreaker");
    this.paths = Objects.requireNonNull(b.paths, "paths");
    this.tls = b.tls == null ? TlsSettings.DEFAULT : b.tls;
    this.meterRegistry = b.meterRegistry;
    this.clientName = requireText(b.clientName, "clientName");
    this.clock = Objects.requireNonNull(b.clock, "clock");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiUrl = apiUrl;
    if (shorthand) {
      b.tokenUrl = tokenUrl;
      b.issuerUrl = issuerUrl;
      b.clientId = clientId;
      b.clientSecret = clientSecret;
      b.scope = scope;
    } else {
      b.auth = auth;
    }
    b.authMethod = authMethod;
    b.connectTimeout = connectTimeout;
    b.responseTimeout = responseTimeout;
    b.maxInFlight = maxInFlight;
    b.minInFlight = concurrency.floor();
    b.concurrencyMode = concurrency.mode();
    b.maxRequestsPerSecond = maxRequestsPerSecond;
    b.maxConnections = maxConnections;
    b.httpProtocol = httpProtocol;
    b.maxResponseBytes = maxResponseBytes;
    b.retryPolicy = retryPolicy;
    b.circuitBreaker = circuitBreaker;
    b.paths = paths;
    b.tls = tls;
    b.allowInsecureHttp = allowInsecureHttp;
    b.meterRegistry = meterRegistry;
    b.clientName = clientName;
    b.clock = clock;
    return b;
  }

  public URI apiUrl() {
    return apiUrl;
  }

  /**
   * How the client authenticates: {@link Builder#auth(AuthSettings)}, or the {@link
   * AuthSettings.ClientCredentials} the shorthand settings make.
   */
  public AuthSettings auth() {
    return auth;
  }

  /** The shorthand's token endpoint; null when issuerUrl or {@link #auth()} was set instead. */
  public URI tokenUrl() {
    return tokenUrl;
  }

  /** The shorthand's issuer (token endpoint discovered, RFC 8414), if set. */
  public Optional<URI> issuerUrl() {
    return Optional.ofNullable(issuerUrl);
  }

  /** The OAuth 2.0 client id of {@link #auth()}; null for the schemes without one. */
  public String clientId() {
    return switch (auth) {
      case AuthSettings.ClientCredentials c -> c.clientId();
      case AuthSettings.RefreshToken r -> r.clientId();
      default -> null;
    };
  }

  /** The OAuth 2.0 client secret of {@link #auth()}; null for the schemes without one. */
  public Secret clientSecret() {
    return switch (auth) {
      case AuthSettings.ClientCredentials c -> c.clientSecret();
      case AuthSettings.RefreshToken r -> r.clientSecret();
      default -> null;
    };
  }

  /** The scope the client credentials grant asks for, if any. */
  public Optional<String> scope() {
    return auth instanceof AuthSettings.ClientCredentials c
        ? Optional.ofNullable(c.scope())
        : Optional.empty();
  }

  /** The client authentication method of {@link #auth()} (the shorthand's when no OAuth). */
  public ClientAuthMethod authMethod() {
    return switch (auth) {
      case AuthSettings.ClientCredentials c -> c.method();
      case AuthSettings.RefreshToken r -> r.method();
      default -> authMethod;
    };
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration responseTimeout() {
    return responseTimeout;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /**
   * The in-flight limit: adaptive between {@code minInFlight} and {@link #maxInFlight()}, or fixed.
   */
  public ConcurrencySettings concurrency() {
    return concurrency;
  }

  /** The cap on requests per second; {@code 0} for none. */
  public double maxRequestsPerSecond() {
    return maxRequestsPerSecond;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public HttpProtocol httpProtocol() {
    return httpProtocol;
  }

  /**
   * The largest response body accepted (API and token endpoint); a larger one fails the call with
   * {@link TwikitException.Kind#INVALID_RESPONSE} and is never held in memory whole.
   */
  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public CircuitBreakerSettings circuitBreaker() {
    return circuitBreaker;
  }

  public TwikitPaths paths() {
    return paths;
  }

  /**
   * What the client trusts and presents over TLS (API and token endpoint); never null, {@link
   * TlsSettings#DEFAULT} unless set.
   */
  public TlsSettings tls() {
    return tls;
  }

  /** Whether {@code http://} is allowed for hosts other than loopback. */
  public boolean allowInsecureHttp() {
    return allowInsecureHttp;
  }

  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  public String clientName() {
    return clientName;
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "TwikitClientConfig[apiUrl="
        + apiUrl
        + ", auth="
        + auth
        + ", connectTimeout="
        + connectTimeout
        + ", responseTimeout="
        + responseTimeout
        + ", maxInFlight="
        + maxInFlight
        + ", concurrency="
        + concurrency.mode().settingValue()
        + ", minInFlight="
        + concurrency.floor()
        + ", maxRequestsPerSecond="
        + maxRequestsPerSecond
        + ", maxConnections="
        + maxConnections
        + ", httpProtocol="
        + httpProtocol
        + ", maxResponseBytes="
        + maxResponseBytes
        + ", retryPolicy="
        + retryPolicy
        + ", circuitBreaker="
        + circuitBreaker
        + ", paths="
        + paths
        + ", tls="
        + tls
        + ", allowInsecureHttp="
        + allowInsecureHttp
        + ", meterRegistry="
        + (meterRegistry == null ? "none" : meterRegistry.getClass().getSimpleName())
        + ", clientName="
        + clientName
        + "]";
  }

  private static URI httpUrl(URI uri, String name) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(name + " must be an absolute http(s) URL: " + uri);
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(name + " must not carry user info");
    }
    return uri;
  }

  /** The URLs inside {@code auth} must be absolute http(s) URLs too. */
  private static void checkAuthUrls(AuthSettings auth, boolean allowInsecureHttp) {
    TokenEndpoint e =
        switch (auth) {
          case AuthSettings.ClientCredentials c -> c.endpoint();
          case AuthSettings.RefreshToken r -> r.endpoint();
          default -> null;
        };
    if (e != null) {
      e.tokenUrl()
          .ifPresent(
              u ->
                  InsecureHttp.check(
                      httpUrl(u, "tokenUrl"), allowInsecureHttp, "tokenUrl", "allowInsecureHttp"));
      e.issuer()
          .ifPresent(
              u ->
                  InsecureHttp.check(
                      httpUrl(u, "issuerUrl"),
                      allowInsecureHttp,
                      "issuerUrl",
                      "allowInsecureHttp"));
    }
  }

  private static String requireText(String s, String name) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return s;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  /**
   * Builder of {@link TwikitClientConfig}; see the class Javadoc for defaults.
   *
   * <p>Thread-safety: not thread-safe; confine to one thread.
   */
  public static final class Builder {
    private URI apiUrl;
    private AuthSettings auth;
    private URI tokenUrl;
    private URI issuerUrl;
    private String clientId;
    private Secret clientSecret;
    private String scope;
    private ClientAuthMethod authMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration responseTimeout = Duration.ofSeconds(10);
    private int maxInFlight = 256;
    private Integer minInFlight;
    private ConcurrencySettings.Mode concurrencyMode = ConcurrencySettings.Mode.ADAPTIVE;
    private double maxRequestsPerSecond;
    private Integer maxConnections;
    private HttpProtocol httpProtocol = HttpProtocol.HTTP_1_1;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULT;
    private TwikitPaths paths = TwikitPaths.DEFAULT;
    private TlsSettings tls = TlsSettings.DEFAULT;
    private boolean allowInsecureHttp;
    private MeterRegistry meterRegistry;
    private String clientName = "twikit";
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Base URL of the API, e.g. {@code https://api.example.com/v1}. Required. */
    public Builder apiUrl(URI url) {
      this.apiUrl = url;
      return this;
    }

    public Builder apiUrl(String url) {
      return apiUrl(URI.create(url));
    }

    /**
     * How to authenticate: any {@link AuthSettings} scheme (OAuth 2.0 client credentials or refresh
     * token with rotation, API key, static headers, none). Instead of the client credentials
     * shorthand (tokenUrl or issuerUrl, clientId, clientSecret, scope, authMethod); not both.
     */
    public Builder auth(AuthSettings settings) {
      this.auth = settings;
      return this;
    }

    /**
     * Shorthand for the client credentials grant: the token endpoint, e.g. {@code
     * https://idp.example.com/oauth2/token}. Required with the shorthand unless issuerUrl is set.
     */
    public Builder tokenUrl(URI url) {
      this.tokenUrl = url;
      return this;
    }

    public Builder tokenUrl(String url) {
      return tokenUrl(URI.create(url));
    }

    /**
     * Shorthand for the client credentials grant with the token endpoint discovered from the
     * issuer's metadata (RFC 8414 {@code /.well-known/oauth-authorization-server}, falling back to
     * {@code /.well-known/openid-configuration}) on the first token request. Instead of tokenUrl.
     */
    public Builder issuerUrl(URI url) {
      this.issuerUrl = url;
      return this;
    }

    /** The OAuth 2.0 client id. Required with the shorthand. */
    public Builder clientId(String id) {
      this.clientId = id;
      return this;
    }

    /** The OAuth 2.0 client secret. Required with the shorthand. */
    public Builder clientSecret(Secret secret) {
      this.clientSecret = secret;
      return this;
    }

    /**
     * Space-separated scopes to request, e.g. {@code configurations/configurations.read}. Optional.
     */
    public Builder scope(String scope) {
      this.scope = scope;
      return this;
    }

    /** Client authentication at the token endpoint. Default {@code CLIENT_SECRET_BASIC}. */
    public Builder authMethod(ClientAuthMethod method) {
      this.authMethod = method;
      return this;
    }

    /** TCP (and TLS handshake) connect timeout. Default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** Longest wait for a response (inactivity) per attempt. Default 10 s. */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = timeout;
      return this;
    }

    /**
     * Ceiling of the HTTP requests in flight (the limit itself in {@code FIXED} mode); more callers
     * queue without failing. Default 256.
     */
    public Builder maxInFlight(int max) {
      this.maxInFlight = max;
      return this;
    }

    /** The adaptive limit's floor, 1..maxInFlight. Default 8 (at most maxInFlight). */
    public Builder minInFlight(int min) {
      this.minInFlight = min;
      return this;
    }

    /** {@code ADAPTIVE} (default) or {@code FIXED} in-flight limit. */
    public Builder concurrencyMode(ConcurrencySettings.Mode mode) {
      this.concurrencyMode = mode;
      return this;
    }

    /** Cap on requests per second, retries included; {@code 0} (default) for none. */
    public Builder maxRequestsPerSecond(double perSecond) {
      this.maxRequestsPerSecond = perSecond;
      return this;
    }

    /** Connection pool size. Default maxInFlight (HTTP/1.1) or 4 (HTTP/2). */
    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /** HTTP version policy. Default {@code HTTP_1_1}. */
    public Builder httpProtocol(HttpProtocol protocol) {
      this.httpProtocol = protocol;
      return this;
    }

    /**
     * Largest response body accepted, in bytes (checked against Content-Length first, then while
     * reading). Default 4 MiB ({@value TwikitClientConfig#DEFAULT_MAX_RESPONSE_BYTES}).
     */
    public Builder maxResponseBytes(int max) {
      this.maxResponseBytes = max;
      return this;
    }

    /** Retry policy. Default {@link RetryPolicy#DEFAULT}. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = policy;
      return this;
    }

    /** Circuit breaker. Default {@link CircuitBreakerSettings#DEFAULT}. */
    public Builder circuitBreaker(CircuitBreakerSettings settings) {
      this.circuitBreaker = settings;
      return this;
    }

    /** API paths. Default {@link TwikitPaths#DEFAULT}. */
    public Builder paths(TwikitPaths paths) {
      this.paths = paths;
      return this;
    }

    /**
     * The CAs to trust (instead of the JVM's) and the client certificate for mutual TLS, for the
     * API and the token endpoint. Default (or null) {@link TlsSettings#DEFAULT}.
     */
    public Builder tls(TlsSettings settings) {
      this.tls = settings;
      return this;
    }

    /**
     * Allow {@code http://} apiUrl and tokenUrl for hosts other than loopback (the client secret
     * and tokens then cross the network unencrypted). Default false; loopback ({@code localhost},
     * {@code 127.0.0.0/8}, {@code ::1}) is always allowed.
     */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /** Where to register metrics. Optional. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Value of the {@code client} metric tag, to tell several clients apart. Default {@code
     * twikit}.
     */
    public Builder clientName(String name) {
      this.clientName = name;
      return this;
    }

    /**
     * Clock for token expiry, breaker timing and Retry-After dates. Default system UTC; for tests.
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} or NPE on bad settings. */
    public TwikitClientConfig build() {
      return new TwikitClientConfig(this);
    }
  }
}
