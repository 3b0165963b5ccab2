package dev.twikitorders.enricher.replay;

import dev.twikitorders.settings.Setting;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Looks up the partitions of a topic a job reads, with an error naming the setting when it is
 * missing.
 */
final class InputTopic {
  private InputTopic() {}

  static SortedSet<Integer> partitions(Admin admin, String topic, Setting setting) {
    try {
      TopicDescription d =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      SortedSet<Integer> partitions = new TreeSet<>();
      for (TopicPartitionInfo p : d.partitions()) {
        partitions.add(p.partition());
      }
      return partitions;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new ReplayUsageException(
            "topic '"
                + topic
                + "' does not exist (setting "
                + setting.key()
                + " / "
                + setting.env()
                + ")");
      }
      throw new IllegalStateException(
          "cannot describe topic '" + topic + "': " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot describe topic '" + topic + "' within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topic '" + topic + "'", e);
    }
  }
}
