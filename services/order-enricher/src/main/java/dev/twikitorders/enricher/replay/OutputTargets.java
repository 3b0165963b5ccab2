package dev.twikitorders.enricher.replay;

import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.records.Outputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The three topics a replay or re-drive writes: the pipeline's outputs, or with a target prefix
 * ({@code --target-topic-prefix rehearsal.}) {@code rehearsal.<output topic>}, created when missing
 * with the partition count of the output it stands for.
 *
 * <p>Immutable.
 */
public record OutputTargets(String erp, String fulfillment, String deadLetters) {
  private static final long TIMEOUT_S = 30;

  /** The target topic of an output role. */
  public String topic(Outputs.Role role) {
    return switch (role) {
      case ERP -> erp;
      case FULFILLMENT -> fulfillment;
      case DEAD_LETTER -> deadLetters;
    };
  }

  public List<String> all() {
    return List.of(erp, fulfillment, deadLetters);
  }

  /**
   * Checks (and where needed creates) the target topics.
   *
   * @param prefix null or empty: the pipeline's own outputs, which must exist (or are created when
   *     {@code topics.create} is true); otherwise prefixed copies, created when missing
   * @throws ReplayUsageException when the prefix makes an illegal topic name or an output is
   *     missing
   */
  public static OutputTargets prepare(Admin admin, EnricherConfig config, String prefix) {
    String p = prefix == null ? "" : prefix;
    if (!p.isEmpty() && !p.matches("[a-zA-Z0-9._-]{1,200}")) {
      throw new ReplayUsageException(
          "--target-topic-prefix '"
              + prefix
              + "' is not a legal topic name prefix (letters, digits, '.', '_', '-')");
    }
    var targets =
        new OutputTargets(
            p + config.topics().erp(),
            p + config.topics().fulfillment(),
            p + config.topics().deadLetters());
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<String> originals =
          List.of(
              config.topics().erp(), config.topics().fulfillment(), config.topics().deadLetters());
      List<NewTopic> missing = new ArrayList<>();
      for (int i = 0; i < originals.size(); i++) {
        String target = targets.all().get(i);
        if (existing.contains(target)) {
          continue;
        }
        if (p.isEmpty() && !config.topics().create()) {
          throw new ReplayUsageException(
              "output topic '"
                  + target
                  + "' does not exist; create it, set "
                  + TopicSettings.CREATE.key()
                  + "=true, or write to copies with --target-topic-prefix");
        }
        int partitions = config.topics().partitions();
        if (!p.isEmpty() && existing.contains(originals.get(i))) {
          Map<String, TopicDescription> d =
              admin
                  .describeTopics(List.of(originals.get(i)))
                  .allTopicNames()
                  .get(TIMEOUT_S, TimeUnit.SECONDS);
          partitions = d.get(originals.get(i)).partitions().size();
        }
        missing.add(
            new NewTopic(
                target, Optional.of(partitions), Optional.of(config.topics().replicationFactor())));
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
      }
      return targets;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot check or create the target topics " + targets.all() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the target topics", e);
    }
  }

  /**
   * Waits until the new topics' metadata is visible, so that the first produce does not wait for
   * it.
   */
  private static void awaitVisible(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (true) {
      try {
        admin.describeTopics(names).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        // metadata propagation: ask again after a short pause
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }
}
