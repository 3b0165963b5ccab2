package dev.twikitorders.delivery.config;

import dev.twikitorders.auth.AuthScheme;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.tls.TlsSettings;
import dev.twikitorders.capacity.ConcurrencySettings;
import dev.twikitorders.delivery.DeliveryPolicy;
import dev.twikitorders.settings.AuthSettingGroup;
import dev.twikitorders.settings.AuthSettingValues;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import dev.twikitorders.settings.TlsSettingGroup;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the delivery service reads, where it delivers and how: {@code delivery.*}.
 *
 * @param topic the topic delivered
 * @param groupId the consumer group (committed offsets)
 * @param deadLetterTopic the delivery dead-letter topic ({@code <topic>.delivery-dlq} unless set)
 * @param createDeadLetterTopic whether a missing dead-letter topic is created at start
 * @param url the endpoint, or null when not set ({@code deliver} requires it)
 * @param allowInsecureHttp whether http:// URLs of non-loopback hosts are accepted
 * @param connectTimeout TCP and TLS connect timeout
 * @param requestTimeout longest wait for one response
 * @param policy batching, requests in flight per partition, backoff and deadline
 * @param concurrency the limit of requests in flight over all partitions ({@code
 *     delivery.concurrency}, {@code delivery.min.in.flight}, {@code delivery.max.in.flight})
 * @param maxRequestsPerSecond cap on requests per second over all partitions, 0 = none
 * @param maxPendingRecords records read and not settled per partition before reading it pauses
 * @param shutdownTimeout how long a graceful stop waits for the requests in flight
 * @param tls trust and key material for an HTTPS endpoint
 * @param auth how requests authenticate ({@link AuthSettingValues#auth()} checks the scheme's
 *     settings)
 */
public record DeliverySettings(
    String topic,
    String groupId,
    String deadLetterTopic,
    boolean createDeadLetterTopic,
    URI url,
    boolean allowInsecureHttp,
    Duration connectTimeout,
    Duration requestTimeout,
    DeliveryPolicy policy,
    ConcurrencySettings concurrency,
    double maxRequestsPerSecond,
    int maxPendingRecords,
    Duration shutdownTimeout,
    TlsSettings tls,
    AuthSettingValues auth) {

  /** The suffix of the default dead-letter topic. */
  public static final String DEAD_LETTER_SUFFIX = ".delivery-dlq";

  public static final Setting TOPIC =
      new Setting(
          "delivery.topic",
          "erp.configuration-summaries",
          false,
          "Topic to deliver (an output of the pipeline: erp.configuration-summaries or"
              + " fulfillment.configurations), read with read_committed.");
  public static final Setting GROUP_ID =
      new Setting(
          "delivery.group.id",
          "twikit-order-delivery",
          false,
          "Kafka consumer group of the delivery service: instances with the same id share the"
              + " topic's partitions, and the group's committed offsets say what was delivered."
              + " Use one group per topic and endpoint.");
  public static final Setting DEAD_LETTER_TOPIC =
      new Setting(
          "delivery.dead.letter.topic",
          null,
          false,
          "Topic of the records the endpoint refused (DeadLetter, as the pipeline's); default"
              + " `<delivery.topic>.delivery-dlq`.");
  public static final Setting CREATE_DEAD_LETTER_TOPIC =
      new Setting(
          "delivery.dead.letter.topic.create",
          "true",
          false,
          "Create a missing dead-letter topic at start, with the partitions of delivery.topic;"
              + " false: it must exist.");
  public static final Setting URL =
      new Setting(
          "delivery.url",
          null,
          false,
          "Endpoint the records are POSTed to (https://, or http:// for loopback); required by"
              + " `deliver` and `dlq redrive`.");
  public static final Setting ALLOW_INSECURE_HTTP =
      new Setting(
          "delivery.allow.insecure.http",
          "false",
          false,
          "Accept http:// URLs for hosts other than loopback (endpoint, token endpoint, issuer)."
              + " Records and credentials then cross the network unencrypted: for closed networks"
              + " only.");
  public static final Setting CONNECT_TIMEOUT =
      new Setting(
          "delivery.connect.timeout.ms", "5000", false, "TCP and TLS connect timeout, in ms.");
  public static final Setting REQUEST_TIMEOUT =
      new Setting(
          "delivery.request.timeout.ms",
          "30000",
          false,
          "Longest wait for the endpoint's response to one request, in ms; then the request is"
              + " retried.");
  public static final Setting BATCH_MAX_RECORDS =
      new Setting(
          "delivery.batch.max.records",
          "1",
          false,
          "Records per request: 1 sends each record alone (its JSON as the body); more sends"
              + " `{\"records\":[{\"idempotencyKey\",\"record\"},...]}` of up to this many records"
              + " of one partition.");
  public static final Setting LINGER =
      new Setting(
          "delivery.linger.ms",
          "0",
          false,
          "How long a partition with fewer records than delivery.batch.max.records waits for"
              + " more before sending, in ms.");
  public static final Setting MAX_IN_FLIGHT_PER_PARTITION =
      new Setting(
          "delivery.max.in.flight.per.partition",
          "16",
          false,
          "Most requests of one partition in flight at once. Records with the same Kafka key (an"
              + " order's) are never in flight together and arrive in offset order; other keys go"
              + " alongside. 1: one request per partition at a time.");
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "delivery.max.in.flight",
          "64",
          false,
          "Most requests in flight over all partitions of the instance: the ceiling of the"
              + " adaptive limit (the limit itself with delivery.concurrency=fixed); more wait.");
  public static final Setting CONCURRENCY =
      new Setting(
          "delivery.concurrency",
          "adaptive",
          false,
          "adaptive: the limit of requests in flight follows the endpoint's observed capacity"
              + " (round-trip times, timeouts, 408, 429 and 503) between delivery.min.in.flight and"
              + " delivery.max.in.flight; fixed: the limit is delivery.max.in.flight.");
  public static final Setting MIN_IN_FLIGHT =
      new Setting(
          "delivery.min.in.flight",
          "1",
          false,
          "Floor of the adaptive limit of requests in flight (at most delivery.max.in.flight).");
  public static final Setting MAX_REQUESTS_PER_SECOND =
      new Setting(
          "delivery.max.requests.per.second",
          "0",
          false,
          "Cap on requests per second over all partitions of the instance, retries included (the"
              + " endpoint's quota); 0 = none. A 429 lowers the rate below it for every request,"
              + " and it creeps back after.");
  public static final Setting RETRY_BACKOFF =
      new Setting(
          "delivery.retry.backoff.ms",
          "200",
          false,
          "First retry's backoff cap, in ms; doubled per attempt up to"
              + " delivery.retry.backoff.max.ms (full jitter).");
  public static final Setting RETRY_BACKOFF_MAX =
      new Setting(
          "delivery.retry.backoff.max.ms",
          "30000",
          false,
          "Largest backoff between retries, in ms.");
  public static final Setting RETRY_AFTER_MAX =
      new Setting(
          "delivery.retry.after.max.ms",
          "300000",
          false,
          "Longest `Retry-After` of the endpoint that is honoured, in ms; a longer one waits this"
              + " long.");
  public static final Setting RETRY_DEADLINE =
      new Setting(
          "delivery.retry.deadline.ms",
          "0",
          false,
          "0: retry I/O errors, timeouts, 408, 429 and 5xx forever (an outage delays, never"
              + " drops). Otherwise a request still failing this long after its first attempt"
              + " sends its records to the dead-letter topic (DELIVERY_EXHAUSTED). Refused"
              + " credentials are retried regardless.");
  public static final Setting MAX_PENDING_RECORDS =
      new Setting(
          "delivery.max.pending.records",
          "1000",
          false,
          "Records read and not yet delivered or dead-lettered per partition; beyond it reading"
              + " that partition pauses.");
  public static final Setting SHUTDOWN_TIMEOUT =
      new Setting(
          "delivery.shutdown.timeout.ms",
          "10000",
          false,
          "On SIGTERM, how long the requests in flight may take to finish before they are"
              + " abandoned (not committed: delivered again after the restart), in ms.");

  /** The endpoint: {@code delivery.ssl.*}. */
  public static final TlsSettingGroup TLS = TlsSettingGroup.of("delivery", "the delivery endpoint");

  /** How requests authenticate: {@code delivery.auth.scheme} and the scheme's settings. */
  public static final AuthSettingGroup AUTH =
      AuthSettingGroup.of(
          "delivery",
          "the delivery endpoint",
          AuthScheme.NONE,
          "",
          ClientAuthMethod.CLIENT_SECRET_BASIC);

  static final List<Setting> SETTINGS =
      Stream.of(
              List.of(
                  TOPIC,
                  GROUP_ID,
                  DEAD_LETTER_TOPIC,
                  CREATE_DEAD_LETTER_TOPIC,
                  URL,
                  ALLOW_INSECURE_HTTP,
                  CONNECT_TIMEOUT,
                  REQUEST_TIMEOUT,
                  BATCH_MAX_RECORDS,
                  LINGER,
                  MAX_IN_FLIGHT_PER_PARTITION,
                  MAX_IN_FLIGHT,
                  CONCURRENCY,
                  MIN_IN_FLIGHT,
                  MAX_REQUESTS_PER_SECOND,
                  RETRY_BACKOFF,
                  RETRY_BACKOFF_MAX,
                  RETRY_AFTER_MAX,
                  RETRY_DEADLINE,
                  MAX_PENDING_RECORDS,
                  SHUTDOWN_TIMEOUT),
              AUTH.settings(),
              TLS.settings())
          .flatMap(List::stream)
          .toList();

  static DeliverySettings read(SettingValues v) {
    String topic = v.topic(TOPIC);
    String dlq = v.string(DEAD_LETTER_TOPIC);
    dlq = dlq == null ? topic + DEAD_LETTER_SUFFIX : v.topic(DEAD_LETTER_TOPIC);
    if (dlq.equals(topic)) {
      throw v.bad(DEAD_LETTER_TOPIC, "must differ from " + TOPIC.key() + " ('" + topic + "')");
    }
    boolean allowInsecure = v.bool(ALLOW_INSECURE_HTTP);
    URI url = v.url(URL);
    v.requireSecureHttp(URL, url, ALLOW_INSECURE_HTTP, allowInsecure);
    Duration backoff = v.millis(RETRY_BACKOFF, 1);
    Duration backoffMax = v.millis(RETRY_BACKOFF_MAX, 1);
    if (backoffMax.compareTo(backoff) < 0) {
      throw v.bad(
          RETRY_BACKOFF_MAX,
          "must be at least " + RETRY_BACKOFF.key() + " (" + backoff.toMillis() + ")");
    }
    Duration deadline = v.millis(RETRY_DEADLINE, 0);
    DeliveryPolicy policy =
        DeliveryPolicy.DEFAULT
            .withBatching(v.integer(BATCH_MAX_RECORDS, 1, 10_000), v.millis(LINGER, 0))
            .withBackoff(backoff, backoffMax)
            .withMaxRetryAfter(v.millis(RETRY_AFTER_MAX, 0))
            .withMaxInFlightRequests(v.integer(MAX_IN_FLIGHT_PER_PARTITION, 1, 10_000));
    if (!deadline.isZero()) {
      policy = policy.withDeadline(deadline);
    }
    int maxInFlight = v.integer(MAX_IN_FLIGHT, 1, 100_000);
    int minInFlight = Math.min(v.integer(MIN_IN_FLIGHT, 1, 100_000), maxInFlight);
    ConcurrencySettings concurrency =
        v.enumValue(CONCURRENCY, ConcurrencySettings.Mode.class) == ConcurrencySettings.Mode.FIXED
            ? ConcurrencySettings.fixed(maxInFlight)
            : ConcurrencySettings.adaptive(minInFlight, maxInFlight);
    return new DeliverySettings(
        topic,
        v.required(GROUP_ID),
        dlq,
        v.bool(CREATE_DEAD_LETTER_TOPIC),
        url,
        allowInsecure,
        v.millis(CONNECT_TIMEOUT, 1),
        v.millis(REQUEST_TIMEOUT, 1),
        policy,
        concurrency,
        v.decimal(MAX_REQUESTS_PER_SECOND, 0, 1_000_000),
        v.integer(MAX_PENDING_RECORDS, 1, 1_000_000),
        v.millis(SHUTDOWN_TIMEOUT, 0),
        TLS.read(v),
        AUTH.read(v, ALLOW_INSECURE_HTTP));
  }
}
