package dev.twikitorders.enricher.records;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An input record whose outputs are not yet committed: what the processor keeps in its changelogged
 * store so that work in flight at a crash or rebalance is re-issued by the next owner of the task
 * (docs/async-enrichment.md).
 *
 * <p>Immutable (the arrays are not copied: do not modify them).
 */
public record SourceRecord(
    String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
  private static final byte FORMAT_VERSION = 1;

  public SourceRecord {
    Objects.requireNonNull(topic, "topic");
  }

  /** Store key: partition then offset, big-endian, so that iteration order is input order. */
  public byte[] storeKey() {
    return storeKey(partition, offset);
  }

  public static byte[] storeKey(int partition, long offset) {
    return ByteBuffer.allocate(12).putInt(partition).putLong(offset).array();
  }

  public String source() {
    return OutputHeaders.source(topic, partition, offset);
  }

  public byte[] encode() {
    try {
      var bytes = new ByteArrayOutputStream(64 + length(key) + length(value));
      var out = new DataOutputStream(bytes);
      out.writeByte(FORMAT_VERSION);
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeLong(timestamp);
      writeBytes(out, key);
      writeBytes(out, value);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SourceRecord decode(byte[] bytes) {
    try {
      var in = new DataInputStream(new ByteArrayInputStream(bytes));
      byte version = in.readByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalStateException("unknown pending-event format version " + version);
      }
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      return new SourceRecord(topic, partition, offset, timestamp, key, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  @Override
  public String toString() {
    return "SourceRecord[" + source() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceRecord p
        && p.partition == partition
        && p.offset == offset
        && p.timestamp == timestamp
        && p.topic.equals(topic)
        && java.util.Arrays.equals(p.key, key)
        && java.util.Arrays.equals(p.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }
}
