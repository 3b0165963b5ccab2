package dev.twikitorders.delivery.cli;

import dev.twikitorders.deadletters.DeadLetterFilter;
import dev.twikitorders.deadletters.DeadLetterFilterOptions;
import dev.twikitorders.deadletters.DeadLetterListing;
import dev.twikitorders.deadletters.DeadLetterScan;
import dev.twikitorders.deadletters.DeadLetterUsageException;
import dev.twikitorders.delivery.app.DeadLetterWriter;
import dev.twikitorders.delivery.app.Endpoint;
import dev.twikitorders.delivery.app.Redrive;
import dev.twikitorders.delivery.app.Wiring;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.registry.SchemaRegistryClient;
import dev.twikitorders.schemas.DeadLetter;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists and re-drives the delivery dead letters. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    header = "Lists and re-drives the delivery dead letters.",
    description = {
      "Lists and re-drives the dead letters of the delivery dead-letter topic (setting"
          + " delivery.dead.letter.topic, default <delivery.topic>.delivery-dlq).",
      "Both read it with a plain consumer (no group id, no commits, read_committed) up to its end at"
          + " start."
    },
    subcommands = {
      DlqCommand.ListCommand.class,
      DlqCommand.RedriveCommand.class,
      CommandLine.HelpCommand.class
    })
final class DlqCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The read_committed, group-less consumer of the dead-letter topic. */
  static KafkaConsumer<byte[], byte[]> consumer(DeliveryConfig config, String job) {
    Map<String, Object> c =
        config.kafka().groupLessConsumer(config.delivery().groupId() + "-dlq-" + job, 500);
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return new KafkaConsumer<>(c);
  }

  static Deserializer<DeadLetter> letters(DeliveryConfig config, SchemaRegistryClient registry) {
    return Wiring.deadLetterSerde(config, registry).deserializer();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpWidth = 120,
      description = {
        "Prints the matching dead letters, one per line: DLQ partition/offset, source topic/partition/offset, error",
        "type, attempts, failedAt, event/order/line/configuration ids, replay id and message. Never prints the",
        "stored key or value bytes. Exit codes: 0 done, 2 bad flag, value or setting."
      })
  static final class ListCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Mixin DeadLetterFilterOptions filters = new DeadLetterFilterOptions();
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--json",
        description =
            "Print the result as one JSON document on stdout instead of text (fields:"
                + " services/delivery/README.md); logs stay on stderr.")
    boolean json;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "Print at most N dead letters (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      DeadLetterFilter filter = filters.filter();
      DeadLetterListing.checkLimit(limit);
      DeliveryConfig config = options.load(System.getenv()).requireKafka();
      try (SchemaRegistryClient registry = Wiring.registryClient(config);
          KafkaConsumer<byte[], byte[]> consumer = consumer(config, "list")) {
        DeadLetterListing listing =
            DeadLetterListing.list(
                consumer,
                config.delivery().deadLetterTopic(),
                letters(config, registry),
                filter,
                limit,
                read -> {});
        if (json) {
          listing.printJson(out);
        } else {
          listing.print(out);
        }
      }
      return 0;
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpWidth = 120,
      description = {
        "Delivers the matching dead letters again to delivery.url, one at a time in dead-letter topic order,",
        "from their stored bytes and with their original Idempotency-Key, with the retry rules of `deliver`",
        "under --deadline-ms. A record refused again (or still failing at the deadline) is dead-lettered again",
        "with attempts added up and replayId set. When a record has several dead letters (from earlier",
        "re-drives), only the latest is re-driven. A re-drive does not remember what it re-drove: running it",
        "again delivers the same records again (the endpoint deduplicates by key); narrow a re-run with the",
        "filters.",
        "Exit codes: 0 done (also when records were dead-lettered again: see the summary), 1 failed mid-way,",
        "2 bad flag, value or setting, 3 Kafka or the identity provider did not answer."
      })
  static final class RedriveCommand implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Mixin DeadLetterFilterOptions filters = new DeadLetterFilterOptions();
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--json",
        description =
            "Print the result as one JSON document on stdout instead of text (fields:"
                + " services/delivery/README.md); logs stay on stderr.")
    boolean json;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "0",
        description = "Re-drive at most N dead letters (default: 0 = all that match).")
    int limit;

    @Option(
        names = "--deadline-ms",
        paramLabel = "MS",
        defaultValue = "60000",
        description =
            "How long one record is retried before it is dead-lettered again (default:"
                + " ${DEFAULT-VALUE}).")
    long deadlineMs;

    @Option(
        names = "--replay-id",
        paramLabel = "ID",
        description = "The replayId of the dead letters written again (default: a random UUID).")
    String replayId;

    @Option(
        names = "--dry-run",
        description = "Only count what would be re-driven; send and write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      DeadLetterFilter filter = filters.filter();
      if (limit < 0) {
        throw new DeadLetterUsageException("--limit must be 0 (all) or more, was " + limit);
      }
      if (deadlineMs < 1) {
        throw new DeadLetterUsageException("--deadline-ms must be at least 1, was " + deadlineMs);
      }
      String id = replayId == null ? UUID.randomUUID().toString() : replayId;
      if (!id.matches("[A-Za-z0-9._:-]{1,100}")) {
        throw new DeadLetterUsageException(
            "--replay-id '" + id + "' must be 1-100 letters, digits, '.', '_', ':' or '-'");
      }
      DeliveryConfig config = options.load(System.getenv()).requireKafka();
      if (!dryRun) {
        config.requireEndpoint();
      }
      try (SchemaRegistryClient registry = Wiring.registryClient(config);
          KafkaConsumer<byte[], byte[]> consumer = consumer(config, "redrive")) {
        Redrive job =
            new Redrive(
                consumer,
                config.delivery().deadLetterTopic(),
                letters(config, registry),
                Wiring.valueDecoder(config, registry));
        List<DeadLetterScan.Entry> selected = job.select(filter, limit);
        if (dryRun) {
          print(new Redrive.Summary(id, selected.size(), 0, 0, true), out);
          return 0;
        }
        try (Endpoint endpoint = Endpoint.open(config);
            KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(Wiring.producerConfig(config))) {
          DeadLetterWriter writer =
              Wiring.deadLetterWriter(config, registry, producer, Clock.systemUTC());
          print(
              job.redrive(
                  selected,
                  endpoint.http(),
                  config.delivery().policy(),
                  Duration.ofMillis(deadlineMs),
                  endpoint.scheduler(),
                  writer,
                  id),
              out);
        }
      }
      return 0;
    }

    private void print(Redrive.Summary summary, PrintWriter out) {
      if (json) {
        summary.printJson(out);
      } else {
        summary.print(out);
      }
    }
  }
}
