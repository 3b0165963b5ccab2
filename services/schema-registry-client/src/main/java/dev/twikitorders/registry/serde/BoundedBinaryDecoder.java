package dev.twikitorders.registry.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over a byte array that checks every length and item count against the bytes
 * left before it allocates anything. Avro's own {@code BinaryDecoder} allocates a string or bytes
 * buffer of the declared length first, so a hostile record declaring a 2 GB string could exhaust
 * the heap; here it fails with {@link EOFException}.
 *
 * <p>Block counts of arrays and maps larger than the bytes left are refused too, which assumes
 * items of at least one byte (arrays of {@code null} or of empty records longer than the payload
 * are the only legal data refused).
 *
 * <p>Follows the binary encoding of the Avro 1.12 specification, section "Binary Encoding". Not
 * thread-safe.
 */
final class BoundedBinaryDecoder extends Decoder {
  private final byte[] buf;
  private int pos;
  private final int limit;

  BoundedBinaryDecoder(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  /** Whether every byte was consumed. */
  boolean isEnd() {
    return pos == limit;
  }

  /** Bytes not yet consumed. */
  int remaining() {
    return limit - pos;
  }

  private void require(long n) throws EOFException {
    if (n < 0 || n > remaining()) {
      throw new EOFException(
          "declared length " + n + " exceeds the " + remaining() + " byte(s) left");
    }
  }

  private int nextByte() throws EOFException {
    if (pos >= limit) {
      throw new EOFException("unexpected end of data");
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public void readNull() {}

  @Override
  public boolean readBoolean() throws IOException {
    return nextByte() == 1;
  }

  @Override
  public int readInt() throws IOException {
    long n = 0;
    int shift = 0;
    int b;
    do {
      if (shift >= 35) {
        throw new AvroRuntimeException("invalid int encoding");
      }
      b = nextByte();
      n |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (n > 0xffffffffL) {
      throw new AvroRuntimeException("invalid int encoding");
    }
    int raw = (int) n;
    return (raw >>> 1) ^ -(raw & 1);
  }

  @Override
  public long readLong() throws IOException {
    long n = 0;
    int shift = 0;
    int b;
    do {
      if (shift >= 70) {
        throw new AvroRuntimeException("invalid long encoding");
      }
      b = nextByte();
      n |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return (n >>> 1) ^ -(n & 1);
  }

  @Override
  public float readFloat() throws IOException {
    require(4);
    int bits =
        (buf[pos] & 0xff)
            | (buf[pos + 1] & 0xff) << 8
            | (buf[pos + 2] & 0xff) << 16
            | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  @Override
  public double readDouble() throws IOException {
    require(8);
    long bits = 0;
    for (int i = 7; i >= 0; i--) {
      bits = bits << 8 | (buf[pos + i] & 0xff);
    }
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  private int length() throws IOException {
    long n = readLong();
    require(n);
    return (int) n;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int n = length();
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(n);
    System.arraycopy(buf, pos, result.getBytes(), 0, n);
    pos += n;
    return result;
  }

  @Override
  public String readString() throws IOException {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  @Override
  public void skipString() throws IOException {
    int n = length(); // not "pos += length()": that would read pos before length() advances it
    pos += n;
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int n = length();
    ByteBuffer result;
    if (old != null && old.capacity() >= n) {
      result = old;
      result.clear();
    } else {
      result = ByteBuffer.allocate(n);
    }
    result.put(buf, pos, n);
    result.flip();
    pos += n;
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    int n = length(); // not "pos += length()": that would read pos before length() advances it
    pos += n;
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    require(length);
    System.arraycopy(buf, pos, bytes, start, length);
    pos += length;
  }

  @Override
  public void skipFixed(int length) throws IOException {
    require(length);
    pos += length;
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  /**
   * A block count; a negative count is followed by the block's size in bytes, which is read and
   * checked.
   */
  private long itemCount() throws IOException {
    long count = readLong();
    if (count < 0) {
      require(readLong());
      count = -count;
    }
    require(count);
    return count;
  }

  /**
   * Skips whole blocks that carry a byte size; returns the count of the first block that must be
   * skipped item by item.
   */
  private long skipItems() throws IOException {
    long count = readLong();
    while (count < 0) {
      long size = readLong();
      require(size);
      pos += (int) size;
      count = readLong();
    }
    require(count);
    return count;
  }

  @Override
  public long readArrayStart() throws IOException {
    return itemCount();
  }

  @Override
  public long arrayNext() throws IOException {
    return itemCount();
  }

  @Override
  public long skipArray() throws IOException {
    return skipItems();
  }

  @Override
  public long readMapStart() throws IOException {
    return itemCount();
  }

  @Override
  public long mapNext() throws IOException {
    return itemCount();
  }

  @Override
  public long skipMap() throws IOException {
    return skipItems();
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }
}
