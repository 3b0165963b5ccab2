package dev.twikitorders.auth.tls;

import dev.twikitorders.auth.tls.TlsMaterialException.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of PEM text (RFC 7468): the labelled, base64-encoded blocks of a file, in order.
 * Text outside the blocks (comments, {@code openssl x509 -text} output) is ignored.
 *
 * <p>Thread-safety: stateless.
 */
final class Pem {

  /**
   * One block: its label ({@code CERTIFICATE}, ...), its bytes, whether it had RFC 1421 headers.
   */
  record Block(String label, byte[] der, boolean hasHeaders) {}

  private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----\\s*$");
  private static final Pattern END = Pattern.compile("^-----END ([A-Z0-9 ]+)-----\\s*$");

  private Pem() {}

  /**
   * The blocks of {@code bytes}, read from {@code file}.
   *
   * @throws TlsMaterialException NOT_PEM when there is no block; BAD_FORMAT for an unterminated
   *     block or bad base64
   */
  static List<Block> read(byte[] bytes, Path file, String role) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<Block> blocks = new ArrayList<>();
    String label = null;
    boolean headers = false;
    StringBuilder body = new StringBuilder();
    for (String raw : text.split("\r\n|\r|\n", -1)) {
      String line = raw.strip();
      if (label == null) {
        Matcher begin = BEGIN.matcher(line);
        if (begin.matches()) {
          label = begin.group(1);
          headers = false;
          body.setLength(0);
        }
        continue;
      }
      Matcher end = END.matcher(line);
      if (end.matches()) {
        if (!end.group(1).equals(label)) {
          throw new TlsMaterialException(
              Problem.BAD_FORMAT,
              file,
              role
                  + " "
                  + file
                  + ": the -----BEGIN "
                  + label
                  + "----- block ends with -----END "
                  + end.group(1)
                  + "-----",
              null);
        }
        blocks.add(new Block(label, decode(body, file, role, label), headers));
        label = null;
      } else if (line.indexOf(':') >= 0) {
        headers = true; // RFC 1421 "Proc-Type: 4,ENCRYPTED" style headers
      } else {
        body.append(line);
      }
    }
    if (label != null) {
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          file,
          role + " " + file + ": -----BEGIN " + label + "----- without its -----END line",
          null);
    }
    if (blocks.isEmpty()) {
      boolean binary = bytes.length > 0 && bytes[0] == 0x30; // an ASN.1 SEQUENCE: DER or PKCS12
      throw new TlsMaterialException(
          Problem.NOT_PEM,
          file,
          role
              + " "
              + file
              + " is not PEM: it has no -----BEGIN ...----- line"
              + (binary
                  ? " (it looks binary: a DER or PKCS12 file; set the type to PKCS12 or convert it"
                      + " to PEM with openssl)"
                  : ""),
          null);
    }
    return blocks;
  }

  private static byte[] decode(StringBuilder body, Path file, String role, String label) {
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw new TlsMaterialException(
          Problem.BAD_FORMAT,
          file,
          role + " " + file + ": the " + label + " block is not valid base64",
          null);
    }
  }
}
