package dev.twikitorders.enricher.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the order enricher, with its default. The README's settings table and the
 * docker-compose check are tested against this list.
 */
public final class Settings {
  public static final Setting BOOTSTRAP_SERVERS =
      new Setting(
          "kafka.bootstrap.servers",
          null,
          false,
          "Kafka bootstrap servers; required by `run`, `replay` and `dlq`.");
  public static final Setting SCHEMA_REGISTRY_URL =
      new Setting(
          "schema.registry.url",
          null,
          false,
          "Confluent-compatible schema registry URL(s), comma separated; `mock://<scope>` for an in-memory one.");
  public static final Setting SCHEMA_REGISTRY_BASIC_AUTH =
      new Setting(
          "schema.registry.basic.auth.user.info",
          null,
          true,
          "`user:password` for the schema registry (HTTP Basic).");
  public static final Setting TWIKIT_API_URL =
      new Setting("twikit.api.url", null, false, "Base URL of the Twikit REST API.");
  public static final Setting TWIKIT_TOKEN_URL =
      new Setting(
          "twikit.token.url", null, false, "OAuth 2.0 token endpoint (client credentials).");
  public static final Setting TWIKIT_CLIENT_ID =
      new Setting("twikit.client.id", null, false, "OAuth 2.0 client id.");
  public static final Setting TWIKIT_CLIENT_SECRET =
      new Setting(
          "twikit.client.secret",
          null,
          true,
          "OAuth 2.0 client secret (prefer the _FILE variant).");
  public static final Setting TWIKIT_CLIENT_SECRET_FILE =
      new Setting(
          "twikit.client.secret.file",
          null,
          false,
          "File holding the client secret (trailing newline ignored); wins over twikit.client.secret.");
  public static final Setting TWIKIT_SCOPE =
      new Setting(
          "twikit.scope",
          "configurations/configurations.read configurations/configurations.write",
          false,
          "Space-separated OAuth scopes to request; empty requests none.");
  public static final Setting TWIKIT_AUTH_METHOD =
      new Setting(
          "twikit.auth.method",
          "client_secret_basic",
          false,
          "Client authentication at the token endpoint: client_secret_basic or client_secret_post.");
  public static final Setting TWIKIT_MAX_IN_FLIGHT =
      new Setting(
          "twikit.max.in.flight",
          "256",
          false,
          "Most Twikit API requests in flight per instance; more wait in the client's queue.");
  public static final Setting TWIKIT_CONNECT_TIMEOUT =
      new Setting(
          "twikit.connect.timeout.ms", "5000", false, "TCP/TLS connect timeout of Twikit calls.");
  public static final Setting TWIKIT_RESPONSE_TIMEOUT =
      new Setting(
          "twikit.response.timeout.ms",
          "10000",
          false,
          "Response timeout of one Twikit call attempt.");
  public static final Setting TWIKIT_HTTP_VERSION =
      new Setting("twikit.http.version", "HTTP_1_1", false, "HTTP_1_1 or HTTP_2 (h2c / ALPN).");
  public static final Setting TWIKIT_RETRY_DEADLINE =
      new Setting(
          "twikit.retry.deadline.ms",
          "0",
          false,
          "How long a line keeps retrying through an API outage before it is dead-lettered as RETRIES_EXHAUSTED; "
              + "0 = forever (an outage delays, never drops).");
  public static final Setting TWIKIT_PATH_STATUS =
      new Setting(
          "twikit.path.status", "/status", false, "Path of the status operation (no token).");
  public static final Setting TWIKIT_PATH_COMPATIBILITY =
      new Setting(
          "twikit.path.compatibility",
          "/configurations/{id}/compatibility",
          false,
          "Path of the compatibility check; {id} is the configuration UUID.");
  public static final Setting TWIKIT_PATH_SUMMARY =
      new Setting(
          "twikit.path.summary",
          "/configurations/{id}/summary",
          false,
          "Path of the configuration summary.");
  public static final Setting TWIKIT_PATH_FILTERED =
      new Setting(
          "twikit.path.filtered",
          "/configurations/{id}/filtered",
          false,
          "Path of the filtered configuration.");
  public static final Setting TWIKIT_PATH_UPDATE_MANY =
      new Setting(
          "twikit.path.update.many",
          "/configurations",
          false,
          "Path of the batch update that links configurations to the order.");
  public static final Setting TOPIC_ORDER_EVENTS =
      new Setting("topic.order.events", "order-events", false, "Input topic of order events.");
  public static final Setting TOPIC_ERP =
      new Setting("topic.erp", "erp.configuration-summaries", false, "Output topic for the ERP.");
  public static final Setting TOPIC_FULFILLMENT =
      new Setting(
          "topic.fulfillment",
          "fulfillment.configurations",
          false,
          "Output topic for fulfillment.");
  public static final Setting TOPIC_DEAD_LETTERS =
      new Setting("topic.dead.letters", "order-events.dlq", false, "Dead-letter topic.");
  public static final Setting APPLICATION_ID =
      new Setting(
          "application.id",
          "twikit-order-enricher",
          false,
          "Kafka Streams application id (consumer group, transactional ids, internal topic prefix).");
  public static final Setting ENRICHMENT_MODE =
      new Setting(
          "enrichment.mode",
          "async",
          false,
          "async: many calls in flight per task; sync: blocking calls on the stream thread (baseline).");
  public static final Setting MAX_PENDING_EVENTS =
      new Setting(
          "enrichment.max.pending.events",
          "1000",
          false,
          "Events in flight per task before process() waits for completions (backpressure).");
  public static final Setting MAX_BLOCK =
      new Setting(
          "enrichment.max.block.ms",
          "10000",
          false,
          "Longest wait of one process() call for capacity; keep well under max.poll.interval.ms.");
  public static final Setting NUM_STREAM_THREADS =
      new Setting("num.stream.threads", "1", false, "Kafka Streams threads of this instance.");
  public static final Setting STATE_DIR =
      new Setting(
          "state.dir",
          null,
          false,
          "Kafka Streams state directory (default: a folder under java.io.tmpdir).");
  public static final Setting CREATE_TOPICS =
      new Setting(
          "topics.create",
          "true",
          false,
          "Create missing topics at start (partitions/replication below); false: they must exist.");
  public static final Setting TOPIC_PARTITIONS =
      new Setting("topics.partitions", "6", false, "Partitions of topics created at start.");
  public static final Setting TOPIC_REPLICATION =
      new Setting(
          "topics.replication.factor",
          "-1",
          false,
          "Replication factor of topics created at start (-1: broker default).");

  public static final Setting METRICS_PORT =
      new Setting(
          "metrics.port",
          "0",
          false,
          "Port of the HTTP endpoint serving /metrics (Prometheus) and /health; 0 = off.");

  public static final List<Setting> ALL =
      List.of(
          BOOTSTRAP_SERVERS,
          SCHEMA_REGISTRY_URL,
          SCHEMA_REGISTRY_BASIC_AUTH,
          TWIKIT_API_URL,
          TWIKIT_TOKEN_URL,
          TWIKIT_CLIENT_ID,
          TWIKIT_CLIENT_SECRET,
          TWIKIT_CLIENT_SECRET_FILE,
          TWIKIT_SCOPE,
          TWIKIT_AUTH_METHOD,
          TWIKIT_MAX_IN_FLIGHT,
          TWIKIT_CONNECT_TIMEOUT,
          TWIKIT_RESPONSE_TIMEOUT,
          TWIKIT_HTTP_VERSION,
          TWIKIT_RETRY_DEADLINE,
          TWIKIT_PATH_STATUS,
          TWIKIT_PATH_COMPATIBILITY,
          TWIKIT_PATH_SUMMARY,
          TWIKIT_PATH_FILTERED,
          TWIKIT_PATH_UPDATE_MANY,
          TOPIC_ORDER_EVENTS,
          TOPIC_ERP,
          TOPIC_FULFILLMENT,
          TOPIC_DEAD_LETTERS,
          APPLICATION_ID,
          ENRICHMENT_MODE,
          MAX_PENDING_EVENTS,
          MAX_BLOCK,
          NUM_STREAM_THREADS,
          STATE_DIR,
          CREATE_TOPICS,
          TOPIC_PARTITIONS,
          TOPIC_REPLICATION,
          METRICS_PORT);

  /** Prefix of pass-through Kafka client and Streams settings in files and {@code --set}. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** Prefix of pass-through Kafka settings in the environment: {@code KAFKA_SECURITY_PROTOCOL}. */
  public static final String KAFKA_ENV_PREFIX = "KAFKA_";

  private Settings() {}

  public static Map<String, Setting> byKey() {
    Map<String, Setting> m = new LinkedHashMap<>();
    ALL.forEach(s -> m.put(s.key(), s));
    return m;
  }
}
