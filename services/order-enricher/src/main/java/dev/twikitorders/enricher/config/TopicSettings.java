package dev.twikitorders.enricher.config;

import dev.twikitorders.settings.Setting;
import dev.twikitorders.settings.SettingValues;
import java.util.List;

/**
 * The pipeline's four topics, and whether and how missing ones are created at start.
 *
 * @param replicationFactor -1 for the broker's default
 */
public record TopicSettings(
    String orderEvents,
    String erp,
    String fulfillment,
    String deadLetters,
    boolean create,
    int partitions,
    short replicationFactor) {
  public static final Setting ORDER_EVENTS =
      new Setting("topic.order.events", "order-events", false, "Input topic of order events.");
  public static final Setting ERP =
      new Setting("topic.erp", "erp.configuration-summaries", false, "Output topic for the ERP.");
  public static final Setting FULFILLMENT =
      new Setting(
          "topic.fulfillment",
          "fulfillment.configurations",
          false,
          "Output topic for fulfillment.");
  public static final Setting DEAD_LETTERS =
      new Setting("topic.dead.letters", "order-events.dlq", false, "Dead-letter topic.");
  public static final Setting CREATE =
      new Setting(
          "topics.create",
          "true",
          false,
          "Create missing topics at start (partitions/replication below); false: they must exist.");
  public static final Setting PARTITIONS =
      new Setting("topics.partitions", "6", false, "Partitions of topics created at start.");
  public static final Setting REPLICATION =
      new Setting(
          "topics.replication.factor",
          "-1",
          false,
          "Replication factor of topics created at start (-1: broker default).");

  static final List<Setting> SETTINGS =
      List.of(ORDER_EVENTS, ERP, FULFILLMENT, DEAD_LETTERS, CREATE, PARTITIONS, REPLICATION);

  static TopicSettings read(SettingValues v) {
    int replication = v.integer(REPLICATION, -1, Short.MAX_VALUE);
    if (replication == 0) {
      throw v.bad(REPLICATION, "must be -1 (broker default) or >= 1");
    }
    return new TopicSettings(
        v.topic(ORDER_EVENTS),
        v.topic(ERP),
        v.topic(FULFILLMENT),
        v.topic(DEAD_LETTERS),
        v.bool(CREATE),
        v.integer(PARTITIONS, 1, 100_000),
        (short) replication);
  }
}
