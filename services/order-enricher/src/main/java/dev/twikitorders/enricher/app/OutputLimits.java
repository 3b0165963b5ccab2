package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.EnricherConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest output record the pipeline may forward: the producer's {@code max.request.size}, or
 * an output topic's {@code max.message.bytes} when that is smaller.
 *
 * <p>Why the processor must know it: under exactly_once_v2 a record refused by the producer or the
 * broker fails the whole transaction (the production exception handler's dead letter is aborted
 * with it, and the task re-processes the same record forever). So the processor checks each output
 * against this limit before forwarding and dead-letters the line instead. The topic limit applies
 * to compressed batches; comparing the uncompressed record with it errs on the safe side.
 */
final class OutputLimits {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLimits.class);

  private OutputLimits() {}

  /** The limit for {@code config}'s ERP and fulfillment topics; the topics must exist. */
  static int maxOutputBytes(EnricherConfig config, int maxRequestSize) {
    List<ConfigResource> topics =
        List.of(
            new ConfigResource(ConfigResource.Type.TOPIC, config.topics().erp()),
            new ConfigResource(ConfigResource.Type.TOPIC, config.topics().fulfillment()));
    int limit = maxRequestSize;
    try (Admin admin =
        Admin.create(Preflight.adminConfig(config, java.time.Duration.ofSeconds(30)))) {
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(topics).all().get(30, TimeUnit.SECONDS);
      for (var e : configs.entrySet()) {
        var entry = e.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (entry != null && entry.value() != null) {
          int topicLimit = Integer.parseInt(entry.value());
          if (topicLimit < limit) {
            LOG.info(
                "Topic {} accepts records up to {} bytes (max.message.bytes): larger outputs are"
                    + " dead-lettered as PRODUCTION_ERROR",
                e.getKey().name(),
                topicLimit);
            limit = topicLimit;
          }
        }
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn(
          "Cannot read the output topics' max.message.bytes ({}); checking outputs against"
              + " max.request.size ({}) only",
          e.toString(),
          maxRequestSize);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return limit;
  }
}
