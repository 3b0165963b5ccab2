package dev.twikitorders.sandbox;

import dev.twikitorders.sandbox.auth.Scopes;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import dev.twikitorders.sandbox.faults.Faults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Start-up settings of a {@link TwikitSandbox}, built with {@link #builder()}. Every setting has a
 * default (listed on each builder method). {@link #toString()} masks every secret: the client
 * secret, the API key, the static header values and the registration token (it shows only whether
 * they are set, and the static header names).
 *
 * <p>Invariants: {@link #certFile()} and {@link #keyFile()} are both set or both empty; {@link
 * #clientCaFile()} is only set together with them; the header names of {@link #staticHeaders()} are
 * HTTP tokens, unique ignoring case.
 *
 * <p>Immutable and thread-safe.
 */
public final class SandboxConfig {
  /** Default of {@link #sinkMaxItems()}. */
  public static final int DEFAULT_SINK_MAX_ITEMS = 1_000_000;

  private final String host;
  private final int port;
  private final String clientId;
  private final String clientSecret;
  private final Set<String> scopes;
  private final Duration latency;
  private final Duration latencySpread;
  private final Duration tokenTtl;
  private final boolean strict;
  private final List<SeedConfiguration> seeds;
  private final int eventLoops;
  private final Path certFile;
  private final Path keyFile;
  private final Path clientCaFile;
  private final String apiKey;
  private final Map<String, String> staticHeaders;
  private final String registrationToken;
  private final String testUser;
  private final boolean approvalPage;
  private final Duration refreshTokenTtl;
  private final int sinkMaxItems;
  private final int capacity;
  private final double rateLimit;

  private SandboxConfig(Builder b) {
    this.host = Objects.requireNonNull(b.host, "host");
    if (b.port < 0 || b.port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + b.port);
    }
    this.port = b.port;
    this.clientId = requireText(b.clientId, "clientId");
    this.clientSecret = requireText(b.clientSecret, "clientSecret");
    if (b.scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is needed");
    }
    this.scopes = Set.copyOf(b.scopes);
    this.latency = nonNegative(b.latency, "latency");
    this.latencySpread = nonNegative(b.latencySpread, "latencySpread");
    this.tokenTtl = nonNegative(b.tokenTtl, "tokenTtl");
    this.strict = b.strict;
    this.seeds = List.copyOf(b.seeds);
    if (b.eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1");
    }
    this.eventLoops = b.eventLoops;
    if ((b.certFile == null) != (b.keyFile == null)) {
      throw new IllegalArgumentException("certFile and keyFile (TLS) must be given together");
    }
    if (b.clientCaFile != null && b.certFile == null) {
      throw new IllegalArgumentException("clientCaFile needs certFile and keyFile (TLS)");
    }
    this.certFile = b.certFile;
    this.keyFile = b.keyFile;
    this.clientCaFile = b.clientCaFile;
    this.apiKey = optionalToken(b.apiKey, "apiKey");
    this.staticHeaders = checkHeaders(b.staticHeaders);
    this.registrationToken = optionalToken(b.registrationToken, "registrationToken");
    this.testUser = requireText(b.testUser, "testUser");
    this.approvalPage = b.approvalPage;
    this.refreshTokenTtl = nonNegative(b.refreshTokenTtl, "refreshTokenTtl");
    if (b.sinkMaxItems < 1) {
      throw new IllegalArgumentException("sinkMaxItems must be at least 1: " + b.sinkMaxItems);
    }
    this.sinkMaxItems = b.sinkMaxItems;
    this.capacity = Faults.checkCapacity(b.capacity, "capacity");
    this.rateLimit = Faults.checkRateLimit(b.rateLimit, "rateLimit");
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  /** The port to listen on; 0 = any free port (see {@link TwikitSandbox#port()}). */
  public int port() {
    return port;
  }

  public String clientId() {
    return clientId;
  }

  /** The client secret. Never log it. */
  public String clientSecret() {
    return clientSecret;
  }

  /** The scopes the client may ask for (and gets when it asks for none). */
  public Set<String> scopes() {
    return scopes;
  }

  public Duration latency() {
    return latency;
  }

  public Duration latencySpread() {
    return latencySpread;
  }

  public Duration tokenTtl() {
    return tokenTtl;
  }

  /** When true, only seeded configurations exist. */
  public boolean strict() {
    return strict;
  }

  public List<SeedConfiguration> seeds() {
    return seeds;
  }

  public int eventLoops() {
    return eventLoops;
  }

  /** The server certificate chain (PEM, leaf first); set = the sandbox serves HTTPS only. */
  public Optional<Path> certFile() {
    return Optional.ofNullable(certFile);
  }

  /** The server's private key (PEM, PKCS#8); set exactly when {@link #certFile()} is. */
  public Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }

  /** CA certificates (PEM); set = every client must present a certificate signed by one. */
  public Optional<Path> clientCaFile() {
    return Optional.ofNullable(clientCaFile);
  }

  /** Whether the sandbox serves HTTPS ({@link #certFile()} is set). */
  public boolean tls() {
    return certFile != null;
  }

  /** The API key the API accepts as {@code Authorization: Bearer <key>}. Never log it. */
  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /**
   * Headers (name to exact value, in order) that together authorise an API request. Empty = not
   * accepted. Never log the values.
   */
  public Map<String, String> staticHeaders() {
    return staticHeaders;
  }

  /**
   * The bearer token {@code POST /oauth2/register} requires; empty = open registration. Never log
   * it.
   */
  public Optional<String> registrationToken() {
    return Optional.ofNullable(registrationToken);
  }

  /** The user the authorization endpoint logs in and approves for ({@code sub} of its tokens). */
  public String testUser() {
    return testUser;
  }

  /** When true, the authorization endpoint serves an Approve / Deny page instead of approving. */
  public boolean approvalPage() {
    return approvalPage;
  }

  /** Lifetime of each refresh token (counted from its issue, also after rotation). */
  public Duration refreshTokenTtl() {
    return refreshTokenTtl;
  }

  /** How many received items each sink keeps (the oldest are dropped beyond; they stay counted). */
  public int sinkMaxItems() {
    return sinkMaxItems;
  }

  /**
   * How many API requests are served at once at start (each holds a slot for its latency; more wait
   * in a FIFO queue); 0 = unlimited. See {@link Faults#capacity()}.
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Requests per second the API admits at start (token bucket, burst {@code max(1, R/10)}; beyond,
   * 429 at once); 0 = off. See {@link Faults#rateLimit()}.
   */
  public double rateLimit() {
    return rateLimit;
  }

  @Override
  public String toString() {
    return "SandboxConfig[host="
        + host
        + ", port="
        + port
        + ", clientId="
        + clientId
        + ", clientSecret=****, scopes="
        + new TreeSet<>(scopes)
        + ", latency="
        + latency
        + ", latencySpread="
        + latencySpread
        + ", tokenTtl="
        + tokenTtl
        + ", strict="
        + strict
        + ", seeds="
        + seeds.size()
        + ", eventLoops="
        + eventLoops
        + ", tls="
        + (certFile == null ? "off" : "cert=" + certFile + ", key=" + keyFile)
        + ", clientCa="
        + (clientCaFile == null ? "none" : clientCaFile)
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + ", staticHeaders="
        + staticHeaders.keySet()
        + ", registrationToken="
        + (registrationToken == null ? "none" : "****")
        + ", testUser="
        + testUser
        + ", approvalPage="
        + approvalPage
        + ", refreshTokenTtl="
        + refreshTokenTtl
        + ", sinkMaxItems="
        + sinkMaxItems
        + ", capacity="
        + capacity
        + ", rateLimit="
        + rateLimit
        + "]";
  }

  /** A bearer credential: unset, or visible characters only (the message never shows it). */
  private static String optionalToken(String s, String name) {
    if (s == null) {
      return null;
    }
    if (s.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank (leave it unset instead)");
    }
    if (s.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          name + " must not contain whitespace or control characters");
    }
    return s;
  }

  private static Map<String, String> checkHeaders(Map<String, String> headers) {
    Set<String> seen = new TreeSet<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isEmpty() || !name.chars().allMatch(SandboxConfig::tokenChar)) {
        throw new IllegalArgumentException("static header name is not an HTTP token: " + name);
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("static header given twice: " + name);
      }
      String value = e.getValue();
      if (value == null || value.isBlank()) {
        // the message names the header, never a value
        throw new IllegalArgumentException("static header " + name + " has an empty value");
      }
      if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("static header " + name + " has a control character");
      }
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** RFC 9110 section 5.6.2 {@code tchar}. */
  private static boolean tokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static String requireText(String s, String name) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return s;
  }

  private static Duration nonNegative(Duration d, String name) {
    if (Objects.requireNonNull(d, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    return d;
  }

  /** Builds a {@link SandboxConfig}. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private String clientId = "demo";
    private String clientSecret = "demo-secret";
    private final Set<String> scopes = new TreeSet<>(Scopes.ALL);
    private Duration latency = Duration.ZERO;
    private Duration latencySpread = Duration.ZERO;
    private Duration tokenTtl = Duration.ofHours(1);
    private boolean strict;
    private final List<SeedConfiguration> seeds = new ArrayList<>();
    private int eventLoops = Runtime.getRuntime().availableProcessors();
    private Path certFile;
    private Path keyFile;
    private Path clientCaFile;
    private String apiKey;
    private final Map<String, String> staticHeaders = new LinkedHashMap<>();
    private String registrationToken;
    private String testUser = "demo-user";
    private boolean approvalPage;
    private Duration refreshTokenTtl = Duration.ofDays(30);
    private int sinkMaxItems = DEFAULT_SINK_MAX_ITEMS;
    private int capacity;
    private double rateLimit;

    private Builder() {}

    /** Interface to bind. Default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port. Default 0: any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The accepted client id. Default {@code demo}. */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** The accepted client secret. Default {@code demo-secret}. */
    public Builder clientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
      return this;
    }

    /** The scopes the client may get. Default: read and write ({@link Scopes#ALL}). */
    public Builder scopes(Collection<String> scopes) {
      this.scopes.clear();
      this.scopes.addAll(scopes);
      return this;
    }

    /** Start-up fixed latency of API replies. Default zero. */
    public Builder latency(Duration latency) {
      this.latency = latency;
      return this;
    }

    /** Start-up uniform random extra latency (0..spread). Default zero. */
    public Builder latencySpread(Duration latencySpread) {
      this.latencySpread = latencySpread;
      return this;
    }

    /** Lifetime of issued access tokens. Default one hour. */
    public Builder tokenTtl(Duration tokenTtl) {
      this.tokenTtl = tokenTtl;
      return this;
    }

    /** Only seeded configurations exist. Default false. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** Configurations seeded at start. Default none. */
    public Builder seeds(Collection<SeedConfiguration> seeds) {
      this.seeds.addAll(seeds);
      return this;
    }

    /** Adds one seeded configuration. */
    public Builder seed(SeedConfiguration seed) {
      this.seeds.add(seed);
      return this;
    }

    /** Event loops (one HTTP server per loop). Default: the number of available processors. */
    public Builder eventLoops(int eventLoops) {
      this.eventLoops = eventLoops;
      return this;
    }

    /**
     * Serve HTTPS only (HTTP/1.1 and h2 by ALPN) with this certificate chain (PEM, leaf first) and
     * private key (PEM, unencrypted PKCS#8). Default: plain HTTP ({@code null}, {@code null}).
     */
    public Builder tls(Path certFile, Path keyFile) {
      return certFile(certFile).keyFile(keyFile);
    }

    /** The server certificate chain (PEM); needs {@link #keyFile(Path)}. Default none. */
    public Builder certFile(Path certFile) {
      this.certFile = certFile;
      return this;
    }

    /** The server private key (PEM, PKCS#8); needs {@link #certFile(Path)}. Default none. */
    public Builder keyFile(Path keyFile) {
      this.keyFile = keyFile;
      return this;
    }

    /**
     * Require a client certificate signed by one of these CAs (PEM); needs TLS. Default none (no
     * client certificate asked for).
     */
    public Builder clientCaFile(Path clientCaFile) {
      this.clientCaFile = clientCaFile;
      return this;
    }

    /**
     * Also accept {@code Authorization: Bearer <apiKey>} on the API, with every scope. Default
     * {@code null}: no API key.
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * Also accept API requests carrying all these headers with exactly these values (every scope).
     * Replaces earlier ones. Default none.
     */
    public Builder staticHeaders(Map<String, String> headers) {
      this.staticHeaders.clear();
      this.staticHeaders.putAll(headers);
      return this;
    }

    /** Adds one static header (see {@link #staticHeaders(Map)}). */
    public Builder staticHeader(String name, String value) {
      this.staticHeaders.put(name, value);
      return this;
    }

    /**
     * Require {@code Authorization: Bearer <token>} on {@code POST /oauth2/register}. Default
     * {@code null}: open registration.
     */
    public Builder registrationToken(String registrationToken) {
      this.registrationToken = registrationToken;
      return this;
    }

    /** The user the authorization endpoint approves for. Default {@code demo-user}. */
    public Builder testUser(String testUser) {
      this.testUser = testUser;
      return this;
    }

    /** Serve an Approve / Deny page at the authorization endpoint. Default false (approve). */
    public Builder approvalPage(boolean approvalPage) {
      this.approvalPage = approvalPage;
      return this;
    }

    /** Lifetime of each refresh token. Default 30 days; zero = expired on issue. */
    public Builder refreshTokenTtl(Duration refreshTokenTtl) {
      this.refreshTokenTtl = refreshTokenTtl;
      return this;
    }

    /**
     * How many received items each sink keeps; beyond, the oldest are dropped (still counted).
     * Default {@value SandboxConfig#DEFAULT_SINK_MAX_ITEMS}.
     */
    public Builder sinkMaxItems(int sinkMaxItems) {
      this.sinkMaxItems = sinkMaxItems;
      return this;
    }

    /**
     * API requests served at once (each holds a slot for its latency; more wait in a FIFO queue).
     * Default 0: unlimited. Changeable at run time ({@link TwikitSandbox#setCapacity(int)}).
     */
    public Builder capacity(int capacity) {
      this.capacity = capacity;
      return this;
    }

    /**
     * API requests per second admitted (token bucket refilled at this rate, burst {@code max(1,
     * R/10)}); beyond, 429 with {@code Retry-After}. Default 0: off. Changeable at run time ({@link
     * TwikitSandbox#setRateLimit(double)}).
     */
    public Builder rateLimit(double requestsPerSecond) {
      this.rateLimit = requestsPerSecond;
      return this;
    }

    /** Validates and builds; {@link IllegalArgumentException} names the bad setting. */
    public SandboxConfig build() {
      return new SandboxConfig(this);
    }
  }
}
