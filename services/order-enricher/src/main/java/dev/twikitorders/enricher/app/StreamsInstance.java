package dev.twikitorders.enricher.app;

import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.settings.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Who this Kafka Streams instance is in its consumer group: its static membership id ({@code
 * group.instance.id}, Kafka Streams appends {@code -<thread>}) and its state directory. Both must
 * be stable across a restart, so that a restarted instance takes its partitions back at once
 * instead of waiting for its old session to time out, and unique among the instances running at the
 * same time, or they fence each other.
 *
 * <p>With {@code kafka.group.instance.id} set, that id and {@code state.dir} are used as they are.
 * Otherwise the id is {@code <host name>-<n>}, where n is the lowest slot whose lock file {@code
 * <java.io.tmpdir>/order-enricher-instances/<application.id>/<n>.lock} this process can lock, and
 * the state directory is {@code <state.dir>/<n>}: several instances of one application on one host
 * get different slots, whatever state directories they are given, and a restarted one gets its slot
 * back, because the operating system releases the lock of a dead process, even after {@code kill
 * -9}. The lock files live outside the state directory on purpose: two instances configured with
 * different state directories would otherwise both take slot 0 and fence each other.
 *
 * <p>Thread-safe; {@link #close()} releases the slot.
 */
public final class StreamsInstance implements AutoCloseable {
  /** Kafka Streams' own default state directory. */
  static final Path DEFAULT_STATE_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams");

  private static final int MAX_SLOTS = 1_000;

  private final String groupInstanceId;
  private final String stateDir;
  private final FileChannel slotLock;

  private StreamsInstance(String groupInstanceId, String stateDir, FileChannel slotLock) {
    this.groupInstanceId = groupInstanceId;
    this.stateDir = stateDir;
    this.slotLock = slotLock;
  }

  /** The configured id, or a free slot of this host; see the class comment. */
  public static StreamsInstance of(KafkaSettings kafka) {
    if (kafka.groupInstanceId() != null) {
      return new StreamsInstance(kafka.groupInstanceId(), kafka.stateDir(), null);
    }
    Path base = kafka.stateDir() != null ? Path.of(kafka.stateDir()) : DEFAULT_STATE_DIR;
    return takeSlot(slotDir(kafka.applicationId()), base, hostName());
  }

  /** Where the slot locks of {@code applicationId} on this host are. */
  static Path slotDir(String applicationId) {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "order-enricher-instances",
        applicationId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** An instance with this id and state directory (null: Kafka Streams' default), no slot. */
  static StreamsInstance fixed(String groupInstanceId, String stateDir) {
    return new StreamsInstance(groupInstanceId, stateDir, null);
  }

  static StreamsInstance takeSlot(Path slots, Path base, String host) {
    try {
      Files.createDirectories(slots);
      for (int n = 0; n < MAX_SLOTS; n++) {
        FileChannel channel =
            FileChannel.open(
                slots.resolve(n + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // this JVM holds the slot already (several instances in one process)
        }
        if (lock != null) {
          return new StreamsInstance(
              host + "-" + n, base.resolve(Integer.toString(n)).toString(), channel);
        }
        channel.close();
      }
    } catch (IOException e) {
      throw new ConfigException(
          "cannot lock an instance slot under "
              + slots
              + " (setting "
              + KafkaSettings.STATE_DIR.key()
              + " / "
              + KafkaSettings.STATE_DIR.env()
              + " must name a writable directory, or set "
              + KafkaSettings.GROUP_INSTANCE_ID.env()
              + "): "
              + e);
    }
    throw new ConfigException(
        MAX_SLOTS
            + " instances already run on this host with lock directory "
            + slots
            + "; set "
            + KafkaSettings.GROUP_INSTANCE_ID.env()
            + " or "
            + KafkaSettings.STATE_DIR.env());
  }

  /**
   * The host name (a pod's name in Kubernetes), reduced to the characters a group instance id
   * takes.
   */
  static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        name = "localhost";
      }
    }
    String clean = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return clean.length() > 150 ? clean.substring(0, 150) : clean;
  }

  /** The {@code group.instance.id} of this instance, without Kafka Streams' thread suffix. */
  public String groupInstanceId() {
    return groupInstanceId;
  }

  /** Kafka Streams' {@code state.dir}, or null for its default. */
  public String stateDir() {
    return stateDir;
  }

  /** Whether the id comes from a slot of this host (not from {@code kafka.group.instance.id}). */
  public boolean derived() {
    return slotLock != null;
  }

  @Override
  public void close() {
    if (slotLock != null) {
      try {
        slotLock.close(); // releases the lock
      } catch (IOException e) {
        // the process is ending or the slot is free anyway once the channel is gone
      }
    }
  }

  @Override
  public String toString() {
    return "StreamsInstance[" + groupInstanceId + ", stateDir=" + stateDir + "]";
  }
}
