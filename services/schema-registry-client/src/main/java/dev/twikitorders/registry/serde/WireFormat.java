package dev.twikitorders.registry.serde;

/**
 * The Confluent wire format: byte 0 is the magic byte {@value #MAGIC_BYTE}, bytes 1-4 the schema id
 * (big-endian, signed 32-bit), then the Avro binary encoding of the datum.
 *
 * @see <a
 *     href="https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format">Confluent
 *     wire format</a>
 */
public final class WireFormat {
  /** The only magic byte defined. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the 5-byte header into {@code target} at 0. */
  static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }

  /**
   * The schema id of a framed payload (no checks: the caller has checked length and magic byte).
   */
  static int schemaId(byte[] data) {
    return (data[1] & 0xff) << 24
        | (data[2] & 0xff) << 16
        | (data[3] & 0xff) << 8
        | (data[4] & 0xff);
  }
}
