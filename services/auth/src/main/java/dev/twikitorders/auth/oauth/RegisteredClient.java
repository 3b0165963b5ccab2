package dev.twikitorders.auth.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.AuthException.Kind;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.store.SecureFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A client registered with {@link ClientRegistrar} (RFC 7591): its id, its secret (null for a
 * public client, auth method {@code none}), when the secret expires (null: never, {@code
 * client_secret_expires_at} 0) and the registered metadata as the server returned it, as a JSON
 * object string without {@code client_secret} and {@code registration_access_token}.
 *
 * <p>File form ({@link #writeTo}, {@link #readFrom}): a JSON object {@code {"client_id",
 * "client_secret", "client_secret_expires_at" (epoch seconds, 0 = never), "metadata": {...}}},
 * written atomically and owner-only ({@code rw-------}) like the refresh token store.
 *
 * <p>{@link #toString()} never shows the secret. Thread-safety: immutable.
 */
public record RegisteredClient(
    String clientId, Secret clientSecret, Instant secretExpiresAt, String metadataJson) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public RegisteredClient {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("clientId is required");
    }
    metadataJson = metadataJson == null || metadataJson.isBlank() ? "{}" : metadataJson;
  }

  /** Writes this client to a new {@code file}; refuses to replace an existing one. */
  public void writeTo(Path file) {
    writeTo(file, false);
  }

  /**
   * Writes this client to {@code file}, atomically and owner-only.
   *
   * @param overwrite whether an existing file may be replaced
   * @throws AuthException STORE_FAILED when the file exists (and {@code overwrite} is false) or
   *     cannot be written; the message names the file
   */
  public void writeTo(Path file, boolean overwrite) {
    ObjectNode root = JSON.createObjectNode();
    root.put("client_id", clientId);
    if (clientSecret != null) {
      root.put("client_secret", clientSecret.revealAsString());
    }
    root.put(
        "client_secret_expires_at", secretExpiresAt == null ? 0 : secretExpiresAt.getEpochSecond());
    try {
      root.set("metadata", JSON.readTree(metadataJson));
      SecureFiles.writeAtomically(
          file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), overwrite);
    } catch (FileAlreadyExistsException e) {
      throw new AuthException(
          Kind.STORE_FAILED,
          0,
          null,
          null,
          file + " exists already; not overwritten (ask for overwriting explicitly)",
          null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the registered metadata is not JSON", null);
    } catch (IOException e) {
      throw new AuthException(
          Kind.STORE_FAILED,
          0,
          null,
          null,
          "cannot write the client registration "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
          e);
    }
  }

  /**
   * Reads a client written by {@link #writeTo}.
   *
   * @throws AuthException STORE_FAILED when the file is missing, unreadable or not such a file
   */
  public static RegisteredClient readFrom(Path file) {
    Objects.requireNonNull(file, "file");
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw fileError(file, "does not exist; register the client first", null);
    } catch (JsonProcessingException e) {
      // never e.getMessage(): Jackson quotes the offending token, which may be the secret
      throw fileError(file, "is not valid JSON", null);
    } catch (IOException e) {
      throw fileError(file, "cannot be read: " + e.getClass().getSimpleName(), e);
    }
    if (root == null || !root.isObject() || !root.path("client_id").isTextual()) {
      throw fileError(file, "has no client_id", null);
    }
    String secret = root.path("client_secret").asText(null);
    long expires = root.path("client_secret_expires_at").asLong(0);
    JsonNode metadata = root.get("metadata");
    return new RegisteredClient(
        root.get("client_id").asText(),
        secret == null || secret.isEmpty() ? null : Secret.of(secret),
        expires > 0 ? Instant.ofEpochSecond(expires) : null,
        metadata == null || !metadata.isObject() ? "{}" : metadata.toString());
  }

  private static AuthException fileError(Path file, String problem, Throwable cause) {
    return new AuthException(
        Kind.STORE_FAILED, 0, null, null, "the client registration " + file + " " + problem, cause);
  }

  @Override
  public String toString() {
    return "RegisteredClient[clientId="
        + clientId
        + ", clientSecret="
        + (clientSecret == null ? "none" : "****")
        + ", secretExpiresAt="
        + (secretExpiresAt == null ? "never" : secretExpiresAt)
        + ", metadata="
        + metadataJson
        + "]";
  }
}
