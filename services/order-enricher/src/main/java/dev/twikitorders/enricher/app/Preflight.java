package dev.twikitorders.enricher.app;

import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.app.StartupRetry.Dependency;
import dev.twikitorders.enricher.app.StartupRetry.Unavailable;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.registry.SchemaRegistryException;
import dev.twikitorders.settings.ConfigException;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.twikit.TwikitApi;
import dev.twikitorders.twikit.TwikitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Start-up checks. Each check either passes, throws a {@link ConfigException} that names the
 * setting to fix (bad value, credentials refused, missing topic: retrying cannot help), or throws
 * {@link Unavailable} when the dependency does not answer (connection refused, timeout, 5xx,
 * circuit breaker open), which {@link StartupRetry} retries. Stateless.
 */
final class Preflight {
  /**
   * A UUID the API does not know: reading it proves reachability and credentials without side
   * effects.
   */
  static final String PROBE_ID = "00000000-0000-0000-0000-000000000000";

  /** How long one check of a job (no retry) may wait for an answer. */
  static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

  private Preflight() {}

  static Dependency kafka(EnricherConfig config) {
    return new Dependency(
        "Kafka", config.kafka().bootstrapServers(), describe(KafkaSettings.BOOTSTRAP_SERVERS));
  }

  static Dependency registry(EnricherConfig config) {
    return new Dependency(
        "the schema registry", config.registry().url(), describe(RegistrySettings.URL));
  }

  static Dependency twikit(EnricherConfig config) {
    return new Dependency(
        "the Twikit API",
        config.twikit().apiUrl() + " (" + config.twikit().authScheme().settingValue() + ")",
        describe(TwikitSettings.API_URL) + ", " + credentialSettings(config.twikit()));
  }

  /**
   * Runs one check once, for the bounded jobs ({@code replay}, {@code dlq}): an unreachable
   * dependency is a {@link ConfigException} naming the setting, as before retries existed.
   */
  static <T> T once(Dependency dependency, StartupRetry.Attempt<T> check) {
    try {
      return check.run(JOB_TIMEOUT);
    } catch (Unavailable e) {
      throw new ConfigException(
          "cannot reach "
              + dependency.name()
              + " at "
              + dependency.address()
              + " (setting "
              + dependency.settings()
              + "): "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking " + dependency.name());
    }
  }

  /**
   * The pipeline's admin client configuration ({@link KafkaConnection#admin()}) with the start-up
   * check's timeouts; {@code kafka.admin.*} overrides still win, as in Kafka Streams.
   */
  static Map<String, Object> adminConfig(EnricherConfig config, Duration timeout) {
    KafkaConnection kafka = config.kafka().connection();
    Map<String, Object> m = kafka.admin();
    m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(10_000, timeout.toMillis()));
    // while a broker is down, one warning per second per attempt is plenty
    m.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000);
    m.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
    m.putAll(kafka.prefixed("admin."));
    return m;
  }

  private static Admin admin(EnricherConfig config, Duration timeout) {
    try {
      return Admin.create(adminConfig(config, timeout));
    } catch (RuntimeException e) {
      throw new ConfigException(
          "invalid Kafka client settings ("
              + describe(KafkaSettings.BOOTSTRAP_SERVERS)
              + " or kafka.* pass-through): "
              + rootMessage(e));
    }
  }

  static Void checkKafka(EnricherConfig config, Duration timeout)
      throws Unavailable, InterruptedException {
    try (Admin admin = admin(config, timeout)) {
      admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException | TimeoutException e) {
      throw kafkaFailure(e, timeout, "cannot use Kafka at " + config.kafka().bootstrapServers());
    }
  }

  static Void ensureTopics(EnricherConfig config, Duration timeout)
      throws Unavailable, InterruptedException {
    List<String> names =
        List.of(
            config.topics().orderEvents(),
            config.topics().erp(),
            config.topics().fulfillment(),
            config.topics().deadLetters());
    try (Admin admin = admin(config, timeout)) {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
      if (missing.isEmpty()) {
        return null;
      }
      if (!config.topics().create()) {
        throw new ConfigException(
            "topics "
                + missing
                + " do not exist; create them or set "
                + describe(TopicSettings.CREATE)
                + " to true");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String name : missing) {
        topics.add(
            new NewTopic(
                name,
                Optional.of(config.topics().partitions()),
                Optional.of(config.topics().replicationFactor())));
      }
      try {
        admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      return null;
    } catch (ExecutionException | TimeoutException e) {
      throw kafkaFailure(
          e,
          timeout,
          "cannot create topics at "
              + config.kafka().bootstrapServers()
              + " (settings "
              + describe(TopicSettings.PARTITIONS)
              + ", "
              + describe(TopicSettings.REPLICATION)
              + ", or create them and set "
              + describe(TopicSettings.CREATE)
              + " to false)");
    }
  }

  /**
   * Timeouts and retriable errors: Kafka is down or unreachable. Anything else (authentication,
   * authorization, invalid settings) is a configuration error.
   */
  private static Unavailable kafkaFailure(Exception e, Duration timeout, String context) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      return new Unavailable("no answer within " + timeout.toMillis() + " ms");
    }
    if (cause instanceof org.apache.kafka.common.errors.SaslAuthenticationException) {
      throw new ConfigException(
          context
              + ": the broker refused the SASL login ("
              + rootMessage(cause)
              + "); check the KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG settings"
              + " (kafka.sasl.mechanism, kafka.sasl.jaas.config) and KAFKA_SECURITY_PROTOCOL");
    }
    if (cause instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
      throw new ConfigException(
          context
              + ": the TLS handshake failed ("
              + rootMessage(cause)
              + "); check KAFKA_SECURITY_PROTOCOL and the KAFKA_SSL_TRUSTSTORE_* settings"
              + " (kafka.ssl.truststore.location, .type, .password: the broker's CA must be in"
              + " the trust store) and, for mutual TLS, KAFKA_SSL_KEYSTORE_*");
    }
    if (cause instanceof RetriableException) {
      return new Unavailable(rootMessage(cause));
    }
    throw new ConfigException(context + ": " + rootMessage(cause));
  }

  static Void checkRegistry(EnricherConfig config, SchemaRegistryClient registry)
      throws Unavailable {
    try {
      registry.subjects();
      return null;
    } catch (SchemaRegistryException e) {
      ConfigException tls =
          tlsRefused(e, "the schema registry at " + config.registry().url(), "schema.registry");
      if (tls != null) {
        throw tls;
      }
      if (e.isRetriable()) {
        throw new Unavailable(e.getMessage()); // names the request and the I/O error or status
      }
      throw registryRefused(config, e);
    } catch (RuntimeException e) {
      throw registryRefused(config, e);
    }
  }

  private static ConfigException registryRefused(EnricherConfig config, RuntimeException e) {
    boolean auth =
        e instanceof SchemaRegistryException sre
            && (sre.httpStatus() == 401 || sre.httpStatus() == 403);
    return new ConfigException(
        "cannot use the schema registry at "
            + config.registry().url()
            + " (setting "
            + describe(RegistrySettings.URL)
            + (auth ? ", " + describe(RegistrySettings.BASIC_AUTH) : "")
            + "): "
            + rootMessage(e));
  }

  static Void checkTwikit(EnricherConfig config, TwikitApi twikit, Duration timeout)
      throws Unavailable, InterruptedException {
    try {
      twikit.status().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Unavailable("no answer to GET status within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      TwikitException te = TwikitException.unwrap(e).orElse(null);
      ConfigException tls =
          tlsRefused(e, "the Twikit API at " + config.twikit().apiUrl(), "twikit");
      if (tls != null) {
        throw tls;
      }
      if (te == null || te.kind().isTransient()) {
        throw new Unavailable(te != null ? te.getMessage() : rootMessage(e));
      }
      throw new ConfigException(
          "cannot use the Twikit API at "
              + config.twikit().apiUrl()
              + " (setting "
              + describe(TwikitSettings.API_URL)
              + ", "
              + describe(TwikitSettings.PATH_STATUS)
              + "): "
              + te.getMessage());
    }
    try {
      twikit.compatibility(PROBE_ID).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      TwikitException te = TwikitException.unwrap(e).orElse(null);
      if (te != null
          && (te.kind() == TwikitException.Kind.NOT_FOUND
              || te.kind() == TwikitException.Kind.BAD_REQUEST)) {
        return null; // the token was accepted; the probe id is unknown, as intended
      }
      ConfigException tls =
          tlsRefused(
              e, "Twikit's identity provider or API (" + config.twikit().apiUrl() + ")", "twikit");
      if (tls != null) {
        throw tls;
      }
      if (te != null && te.kind().isTransient()) {
        throw new Unavailable(te.getMessage());
      }
      if (te != null
          && (te.kind() == TwikitException.Kind.CREDENTIALS_REJECTED
              || te.kind() == TwikitException.Kind.UNAUTHORIZED
              || te.kind() == TwikitException.Kind.FORBIDDEN)) {
        throw new ConfigException(
            "Twikit refused the credentials ("
                + config.twikit().authScheme().settingValue()
                + "; check "
                + credentialSettings(config.twikit())
                + "): "
                + te.getMessage());
      }
      throw new ConfigException(
          "cannot use the Twikit API at "
              + config.twikit().apiUrl()
              + " (settings "
              + describe(TwikitSettings.API_URL)
              + ", "
              + credentialSettings(config.twikit())
              + "): "
              + rootMessage(e));
    } catch (TimeoutException e) {
      throw new Unavailable(
          "no answer to the compatibility probe within " + timeout.toMillis() + " ms");
    }
  }

  /** The settings an operator checks when Twikit refuses the credentials of the chosen scheme. */
  static String credentialSettings(TwikitSettings t) {
    List<Setting> settings =
        switch (t.authScheme()) {
          case CLIENT_CREDENTIALS ->
              List.of(
                  t.tokenUrl() != null ? TwikitSettings.TOKEN_URL : TwikitSettings.ISSUER_URL,
                  TwikitSettings.CLIENT_ID,
                  TwikitSettings.CLIENT_SECRET_FILE,
                  TwikitSettings.SCOPE,
                  TwikitSettings.AUTH_METHOD);
          case REFRESH_TOKEN ->
              List.of(
                  TwikitSettings.REFRESH_TOKEN_FILE,
                  TwikitSettings.CLIENT_ID,
                  t.tokenUrl() != null ? TwikitSettings.TOKEN_URL : TwikitSettings.ISSUER_URL);
          case API_KEY -> List.of(TwikitSettings.API_KEY_FILE);
          case STATIC_HEADERS -> List.of(TwikitSettings.HEADERS_FILE);
          case NONE -> List.of(TwikitSettings.AUTH_SCHEME);
        };
    StringBuilder b = new StringBuilder();
    for (Setting s : settings) {
      b.append(b.isEmpty() ? "" : ", ").append(describe(s));
    }
    return b.toString();
  }

  /**
   * A configuration error when {@code e} is a refused TLS handshake (an untrusted or mismatching
   * server certificate, a client certificate the server refused): waiting does not help. Null
   * otherwise.
   *
   * @param prefix the settings' prefix ({@code twikit} or {@code schema.registry})
   */
  static ConfigException tlsRefused(Throwable e, String what, String prefix) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // SSLException covers the alerts that end a TLS 1.3 handshake after the client's side of it
      // finished (certificate_required, bad_certificate)
      if (t instanceof javax.net.ssl.SSLException
          || t instanceof java.security.cert.CertificateException) {
        String env = Setting.envOf(prefix);
        return new ConfigException(
            "the TLS handshake with "
                + what
                + " failed ("
                + rootMessage(t)
                + "): check "
                + prefix
                + ".ssl.truststore.* ("
                + env
                + "_SSL_TRUSTSTORE_LOCATION: the server's CA must be in it), the host name in the"
                + " URL, and for mutual TLS "
                + prefix
                + ".ssl.keystore.* ("
                + env
                + "_SSL_KEYSTORE_LOCATION)");
      }
    }
    return null;
  }

  private static String describe(Setting s) {
    return s.key() + " / " + s.env();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
