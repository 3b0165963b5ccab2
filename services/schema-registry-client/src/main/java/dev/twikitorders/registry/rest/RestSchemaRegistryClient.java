package dev.twikitorders.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.auth.tls.InsecureHttp;
import dev.twikitorders.auth.tls.SslContexts;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.registry.CompatibilityLevel;
import dev.twikitorders.registry.RegisteredSchema;
import dev.twikitorders.registry.RegistryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, as served by Confluent
 * Schema Registry, Karapace, Redpanda and Apicurio Registry's {@code /apis/ccompat/v7} (a base URL
 * may carry a path).
 *
 * <ul>
 *   <li>Several base URLs: a call that fails with an I/O error, 5xx or 429 moves on to the next
 *       URL; the URL that last answered is tried first next time.
 *   <li>Bounded retries: after every URL failed, the whole round is retried up to {@code
 *       maxRetries} times with exponential backoff. 4xx answers are never retried.
 *   <li>Bounded responses: a body larger than {@code maxResponseBytes} (default 4 MiB) fails the
 *       call with a non-retriable {@link SchemaRegistryException} (error code {@link
 *       SchemaRegistryException#RESPONSE_TOO_LARGE}); a larger {@code Content-Length} fails before
 *       the body is read, and a body without one is read no further than the limit.
 *   <li>Caches id&rarr;schema and (subject, schema)&rarr;id forever: registry ids are immutable.
 *   <li>TLS: the JVM's default CAs, or the CAs and client certificate of {@link
 *       Builder#tls(TlsSettings)}; host names are always verified. Plain {@code http://} is refused
 *       for hosts other than loopback unless {@link Builder#allowInsecureHttp(boolean)}.
 *   <li>Credentials (HTTP Basic or a bearer token) go into the {@code Authorization} header only;
 *       they never appear in exception messages, logs or {@link #toString()}. User info in a URL is
 *       stripped from it and used as Basic credentials unless others are given.
 * </ul>
 *
 * <p>Thread-safety: thread-safe; share one instance.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 300;

  /** The largest {@code maxResponseBytes} accepted: about the largest byte array a JVM allows. */
  public static final int MAX_RESPONSE_BYTES_LIMIT = Integer.MAX_VALUE - 8;

  private final List<String> baseUrls;
  private final String authorization;
  private final String authDescription;
  private final Duration readTimeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final boolean sendSchemaType;
  private final int maxResponseBytes;
  private final TlsSettings tls;
  private final HttpClient http;
  private final AtomicInteger preferred = new AtomicInteger();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  private RestSchemaRegistryClient(Builder b) {
    if (b.urls.isEmpty()) {
      throw new IllegalArgumentException("at least one schema registry URL is needed");
    }
    this.baseUrls = List.copyOf(b.urls);
    for (String url : baseUrls) {
      InsecureHttp.check(
          URI.create(url),
          b.allowInsecureHttp,
          RegistryConfig.SCHEMA_REGISTRY_URL,
          RegistryConfig.ALLOW_INSECURE_HTTP);
    }
    String basic = b.basicAuthUserInfo != null ? b.basicAuthUserInfo : b.urlUserInfo;
    if (b.bearerToken != null && basic != null) {
      throw new IllegalArgumentException("configure either basic auth or a bearer token, not both");
    }
    if (b.bearerToken != null) {
      this.authorization = "Bearer " + b.bearerToken;
      this.authDescription = "bearer(****)";
    } else if (basic != null) {
      int colon = basic.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("basic auth user info must have the form user:password");
      }
      this.authorization =
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8));
      this.authDescription = "basic(user=" + basic.substring(0, colon) + ", password=****)";
    } else {
      this.authorization = null;
      this.authDescription = "none";
    }
    this.readTimeout = positive(b.readTimeout, "readTimeout");
    this.maxRetries = b.maxRetries;
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0");
    }
    this.initialBackoff = Objects.requireNonNull(b.initialBackoff, "initialBackoff");
    this.maxBackoff = Objects.requireNonNull(b.maxBackoff, "maxBackoff");
    this.sendSchemaType = b.sendSchemaType;
    if (b.maxResponseBytes < 1 || b.maxResponseBytes > MAX_RESPONSE_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxResponseBytes must be between 1 and " + MAX_RESPONSE_BYTES_LIMIT);
    }
    this.maxResponseBytes = b.maxResponseBytes;
    this.tls = b.tls == null ? TlsSettings.DEFAULT : b.tls;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(positive(b.connectTimeout, "connectTimeout"))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!tls.isDefault()) {
      http.sslContext(SslContexts.build(tls)); // reads the files now: bad material fails here
    }
    this.http = http.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The base URLs without user info, in failover order. */
  public List<String> baseUrls() {
    return baseUrls;
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key =
        new SubjectSchema(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode reply =
        call(
            "POST",
            "/subjects/" + encode(subject) + "/versions",
            schemaBody(schema, sendSchemaType));
    int id = requiredInt(reply, "id", "register");
    schemasById.putIfAbsent(id, schema);
    idsBySubjectSchema.putIfAbsent(key, id);
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode reply = call("GET", "/schemas/ids/" + id, null);
    Schema schema = parse(reply, "schema " + id);
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced != null ? raced : schema;
  }

  @Override
  public int getId(String subject, Schema schema) {
    SubjectSchema key =
        new SubjectSchema(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode reply =
        call("POST", "/subjects/" + encode(subject), schemaBody(schema, sendSchemaType));
    int id = requiredInt(reply, "id", "lookup");
    schemasById.putIfAbsent(id, schema);
    idsBySubjectSchema.putIfAbsent(key, id);
    return id;
  }

  @Override
  public List<Integer> versions(String subject) {
    JsonNode reply =
        call("GET", "/subjects/" + encode(requireSubject(subject)) + "/versions", null);
    List<Integer> versions = new ArrayList<>();
    reply.forEach(v -> versions.add(v.asInt()));
    return List.copyOf(versions);
  }

  @Override
  public RegisteredSchema latestVersion(String subject) {
    JsonNode reply =
        call("GET", "/subjects/" + encode(requireSubject(subject)) + "/versions/latest", null);
    int id = requiredInt(reply, "id", "latest version");
    Schema schema = schemasById.get(id);
    if (schema == null) {
      schema = parse(reply, "latest version of " + subject);
      schemasById.putIfAbsent(id, schema);
    }
    return new RegisteredSchema(
        subject, id, requiredInt(reply, "version", "latest version"), schema);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    String path = "/compatibility/subjects/" + encode(requireSubject(subject)) + "/versions/latest";
    try {
      JsonNode reply =
          call("POST", path, schemaBody(Objects.requireNonNull(schema, "schema"), sendSchemaType));
      JsonNode flag = reply.get("is_compatible");
      if (flag == null || !flag.isBoolean()) {
        throw new SchemaRegistryException(
            "POST " + baseUrls.get(preferred.get()) + path + ": reply has no boolean is_compatible",
            200,
            200);
      }
      return flag.booleanValue();
    } catch (SchemaRegistryException e) {
      // Nothing registered yet: any schema is compatible (what newer Confluent versions answer with
      // 200).
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
        return true;
      }
      if (e.errorCode() == SchemaRegistryException.INCOMPATIBLE_SCHEMA) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    String path = subject == null ? "/config" : "/config/" + encode(requireSubject(subject));
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    call("PUT", path, body.toString());
  }

  @Override
  public List<String> subjects() {
    JsonNode reply = call("GET", "/subjects", null);
    List<String> subjects = new ArrayList<>();
    reply.forEach(s -> subjects.add(s.asText()));
    return List.copyOf(subjects);
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "RestSchemaRegistryClient{urls="
        + baseUrls
        + ", auth="
        + authDescription
        + ", maxRetries="
        + maxRetries
        + ", tls="
        + tls
        + "}";
  }

  private JsonNode call(String method, String path, String body) {
    SchemaRegistryException last = null;
    for (int round = 0; round <= maxRetries; round++) {
      if (round > 0) {
        backoff(round);
      }
      int start = preferred.get();
      for (int i = 0; i < baseUrls.size(); i++) {
        int index = (start + i) % baseUrls.size();
        String url = baseUrls.get(index) + path;
        try {
          HttpResponse<InputStream> response =
              http.send(request(method, url, body), HttpResponse.BodyHandlers.ofInputStream());
          int status = response.statusCode();
          String text = readBody(method, url, response);
          if (status >= 200 && status < 300) {
            preferred.set(index);
            return readJson(method, url, text);
          }
          SchemaRegistryException error = errorOf(method, url, status, text);
          if (!error.isRetriable()) {
            preferred.set(index);
            throw error;
          }
          last = error;
        } catch (IOException e) {
          last =
              new SchemaRegistryException(
                  method
                      + " "
                      + url
                      + " failed: "
                      + e.getClass().getSimpleName()
                      + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                  SchemaRegistryException.NO_RESPONSE,
                  SchemaRegistryException.NO_RESPONSE,
                  e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SchemaRegistryException(
              method + " " + url + " interrupted",
              SchemaRegistryException.NO_RESPONSE,
              SchemaRegistryException.NO_RESPONSE,
              e);
        }
        LOG.warn(
            "Schema registry call failed, trying the next URL or retrying: {}", last.getMessage());
      }
    }
    throw new SchemaRegistryException(
        "Schema registry unavailable after "
            + (maxRetries + 1)
            + " round(s) over "
            + baseUrls.size()
            + " URL(s); last error: "
            + last.getMessage(),
        last.httpStatus(),
        last.errorCode(),
        last);
  }

  private HttpRequest request(String method, String url, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(readTimeout).header("Accept", ACCEPT);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return b.build();
  }

  private void backoff(int round) {
    long initial = initialBackoff.toMillis();
    long millis = Math.min(maxBackoff.toMillis(), initial << Math.min(round - 1, 20));
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted while backing off",
          SchemaRegistryException.NO_RESPONSE,
          SchemaRegistryException.NO_RESPONSE,
          e);
    }
  }

  /**
   * The body as text, read no further than {@code maxResponseBytes}: a registry (or a proxy in
   * front of it) that answers with a huge body must not exhaust the heap of every client.
   *
   * @throws SchemaRegistryException (not retriable) when the body is larger than the limit
   */
  private String readBody(String method, String url, HttpResponse<InputStream> response)
      throws IOException {
    // closing before the end aborts the exchange and drops the connection instead of reusing it
    try (InputStream in = response.body()) {
      OptionalLong declared = OptionalLong.empty();
      try {
        declared = response.headers().firstValueAsLong("Content-Length");
      } catch (NumberFormatException malformed) {
        // the client has framed the body without it; the read below still enforces the limit
      }
      if (declared.isPresent() && declared.getAsLong() > maxResponseBytes) {
        throw tooLarge(
            method, url, response.statusCode(), "Content-Length " + declared.getAsLong());
      }
      byte[] bytes = in.readNBytes(maxResponseBytes + 1);
      if (bytes.length > maxResponseBytes) {
        throw tooLarge(method, url, response.statusCode(), "the body");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private SchemaRegistryException tooLarge(String method, String url, int status, String what) {
    return new SchemaRegistryException(
        method
            + " "
            + url
            + " -> HTTP "
            + status
            + ": response too large: "
            + what
            + " exceeds the limit of "
            + maxResponseBytes
            + " bytes (schema.registry.max.response.bytes)",
        status,
        SchemaRegistryException.RESPONSE_TOO_LARGE);
  }

  private static JsonNode readJson(String method, String url, String body) {
    try {
      return JSON.readTree(body == null ? "" : body);
    } catch (IOException e) {
      throw new SchemaRegistryException(method + " " + url + ": reply is not JSON", 200, 200, e);
    }
  }

  private static SchemaRegistryException errorOf(
      String method, String url, int status, String body) {
    int code = status;
    String message = null;
    try {
      JsonNode node = JSON.readTree(body == null ? "" : body);
      if (node != null && node.isObject()) {
        if (node.path("error_code").canConvertToInt()) {
          code = node.get("error_code").asInt();
        }
        if (node.hasNonNull("message")) {
          message = node.get("message").asText();
        }
      }
    } catch (IOException notJson) {
      // fall through: report the start of the body
    }
    if (message == null) {
      message = body == null || body.isBlank() ? "(no body)" : truncate(body.strip());
    }
    return new SchemaRegistryException(
        method + " " + url + " -> HTTP " + status + ", error_code " + code + ": " + message,
        status,
        code);
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ERROR_BODY ? s : s.substring(0, MAX_ERROR_BODY) + "...";
  }

  private Schema parse(JsonNode reply, String what) {
    JsonNode type = reply.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw new SchemaRegistryException(
          what + " is a " + type.asText() + " schema, not AVRO", 200, 200);
    }
    JsonNode text = reply.get("schema");
    if (text == null || !text.isTextual()) {
      throw new SchemaRegistryException("registry reply for " + what + " has no schema", 200, 200);
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          "registry reply for " + what + " holds an unparsable Avro schema: " + e.getMessage(),
          200,
          200,
          e);
    }
  }

  private static int requiredInt(JsonNode reply, String field, String what) {
    JsonNode node = reply.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw new SchemaRegistryException(
          "registry reply to " + what + " has no integer " + field, 200, 200);
    }
    return node.asInt();
  }

  static String schemaBody(Schema schema, boolean withType) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    if (withType) {
      body.put("schemaType", "AVRO");
    }
    return body.toString();
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String requireSubject(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    return subject;
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  /**
   * Builds a {@link RestSchemaRegistryClient}. Defaults: connect timeout 10 s, read timeout 30 s, 3
   * retries, backoff 100 ms doubling up to 2 s, {@code schemaType: AVRO} sent on register,
   * responses up to 4 MiB, the JVM's default CAs and no client certificate, {@code http://} only to
   * loopback hosts.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    private final List<String> urls = new ArrayList<>();
    private String urlUserInfo;
    private String basicAuthUserInfo;
    private String bearerToken;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private boolean sendSchemaType = true;
    private int maxResponseBytes = RegistryConfig.DEFAULT_MAX_RESPONSE_BYTES;
    private TlsSettings tls = TlsSettings.DEFAULT;
    private boolean allowInsecureHttp;

    private Builder() {}

    /**
     * Base URLs, comma separated, e.g. {@code http://sr1:8081,http://sr2:8081} or {@code
     * http://apicurio:8080/apis/ccompat/v7}. User info ({@code http://user:password@host}) is
     * removed from the URL and used as Basic credentials when no others are set.
     */
    public Builder urls(String commaSeparated) {
      Objects.requireNonNull(commaSeparated, "urls");
      for (String part : commaSeparated.split(",")) {
        if (!part.isBlank()) {
          url(part.strip());
        }
      }
      return this;
    }

    /** Adds one base URL (see {@link #urls(String)}). */
    public Builder url(String url) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        // the message of URISyntaxException holds the input, which may hold a password
        throw new IllegalArgumentException("invalid schema registry URL", null);
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equalsIgnoreCase("http")
              || uri.getScheme().equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "schema registry URL must be http(s)://host[:port][/path]: " + redact(uri));
      }
      if (uri.getRawUserInfo() != null && urlUserInfo == null) {
        urlUserInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
      }
      String base =
          uri.getScheme().toLowerCase(java.util.Locale.ROOT)
              + "://"
              + uri.getHost()
              + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
              + (uri.getRawPath() == null ? "" : uri.getRawPath());
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      urls.add(base);
      return this;
    }

    /** HTTP Basic credentials as {@code user:password}. */
    public Builder basicAuth(String userInfo) {
      this.basicAuthUserInfo = userInfo;
      return this;
    }

    /** A static bearer token (RFC 6750 section 2.1). */
    public Builder bearerToken(String token) {
      this.bearerToken = token;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time allowed for one request, until the response headers arrive. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /** Extra rounds over all URLs after the first one failed with I/O, 5xx or 429. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Backoff before each retry round: {@code initial}, doubling, capped at {@code max}. Zero
     * disables waiting.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Whether to send {@code "schemaType":"AVRO"} when registering or looking up a schema. AVRO is
     * the API's default, so turning this off only matters for old registries that reject the field.
     */
    public Builder sendSchemaType(boolean sendSchemaType) {
      this.sendSchemaType = sendSchemaType;
      return this;
    }

    /**
     * The largest response body accepted, in bytes (default 4 MiB); a larger one fails the call
     * with a non-retriable {@link SchemaRegistryException}.
     */
    public Builder maxResponseBytes(int maxResponseBytes) {
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /**
     * The CAs to trust instead of the JVM's and the client certificate for mutual TLS. Default (or
     * null) {@link TlsSettings#DEFAULT}. The files are read by {@link #build()}.
     */
    public Builder tls(TlsSettings tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Allow {@code http://} URLs whose host is not loopback. Default false: such a URL fails {@link
     * #build()}.
     */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException on invalid settings: among them an {@code http://} URL to a
     *     host other than loopback without {@link #allowInsecureHttp(boolean)}, and unusable TLS
     *     material (a {@link dev.twikitorders.auth.tls.TlsMaterialException} naming the file)
     */
    public RestSchemaRegistryClient build() {
      return new RestSchemaRegistryClient(this);
    }

    private static String redact(URI uri) {
      return uri.getRawUserInfo() == null
          ? uri.toString()
          : uri.toString().replace(uri.getRawUserInfo(), "****");
    }
  }
}
