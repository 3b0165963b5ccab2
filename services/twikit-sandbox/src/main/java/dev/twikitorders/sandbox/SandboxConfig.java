package dev.twikitorders.sandbox;

import dev.twikitorders.sandbox.auth.Scopes;
import dev.twikitorders.sandbox.data.SeedConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Start-up settings of a {@link TwikitSandbox}, built with {@link #builder()}. Every setting has a
 * default (listed on each builder method). {@link #toString()} masks the client secret.
 *
 * <p>Immutable and thread-safe.
 */
public final class SandboxConfig {
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
        + "]";
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

    public SandboxConfig build() {
      return new SandboxConfig(this);
    }
  }
}
