package dev.twikitorders.sandbox.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configurations a sandbox serves: derived by {@link DerivationRule}, overridden by seeds,
 * changed by updates. Replies are encoded once per state and shared by all requests.
 *
 * <p>Thread-safe: state per configuration is an immutable entry replaced atomically in a concurrent
 * map, so concurrent updates of one configuration are serialised and never lost.
 */
public final class ConfigurationStore {
  /** Derived-only replies kept in memory; the cache is dropped whole when it grows beyond this. */
  private static final int DERIVED_CACHE_LIMIT = 100_000;

  /** State of a seeded or updated configuration. */
  private record Entry(SeedConfiguration seed, ObjectNode update, Rendered rendered) {}

  private final boolean strict;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Rendered> derived = new ConcurrentHashMap<>();

  /**
   * @param strict when true, only seeded configurations exist
   */
  public ConfigurationStore(boolean strict) {
    this.strict = strict;
  }

  /** Whether only seeded configurations exist. */
  public boolean strict() {
    return strict;
  }

  /** The replies for {@code id}, or {@code null} when it does not exist (the 404 rules). */
  public Rendered find(String id) {
    String uuid = ConfigurationIds.canonical(id);
    if (uuid == null) {
      return null;
    }
    Entry e = entries.get(uuid);
    if (e != null) {
      return e.rendered;
    }
    if (!existsByRule(uuid)) {
      return null;
    }
    Rendered r = derived.get(uuid);
    if (r == null) {
      if (derived.size() >= DERIVED_CACHE_LIMIT) {
        derived.clear();
      }
      r = DerivationRule.derive(uuid).render();
      derived.putIfAbsent(uuid, r);
    }
    return r;
  }

  private boolean existsByRule(String uuid) {
    return !strict && !ConfigurationIds.unknownByRule(uuid);
  }

  /** Seeds configurations (all validated first, then stored; a seed replaces earlier state). */
  public List<String> seed(Collection<SeedConfiguration> seeds) {
    List<String> ids = new ArrayList<>();
    for (SeedConfiguration s : seeds) {
      entries.put(s.uuid(), entry(s.uuid(), s, null));
      derived.remove(s.uuid());
      ids.add(s.uuid());
    }
    return ids;
  }

  /** Forgets a seeded or updated configuration; true when there was one. */
  public boolean delete(String id) {
    String uuid = ConfigurationIds.canonical(id);
    return uuid != null && entries.remove(uuid) != null;
  }

  /** Forgets every seed and update. */
  public void deleteAll() {
    entries.clear();
  }

  /** The seeds currently stored, by UUID. */
  public Map<String, SeedConfiguration> seeds() {
    Map<String, SeedConfiguration> out = new TreeMap<>();
    entries.forEach(
        (k, e) -> {
          if (e.seed != null) {
            out.put(k, e.seed);
          }
        });
    return out;
  }

  /**
   * Applies an update ({@code externalId}, {@code orderParameters}; other fields are ignored).
   * Idempotent: the same update twice leaves the same state.
   *
   * @return the replies after the update, or {@code null} when the configuration does not exist
   * @throws IllegalArgumentException when a field has the wrong type
   */
  public Rendered update(String id, JsonNode update) {
    validateUpdate(update);
    String uuid = ConfigurationIds.canonical(id);
    if (uuid == null) {
      return null;
    }
    Entry e =
        entries.compute(
            uuid,
            (k, old) -> {
              if (old == null && !existsByRule(k)) {
                return null;
              }
              ObjectNode merged =
                  old == null || old.update == null ? Json.object() : old.update.deepCopy();
              if (update.has("externalId")) {
                merged.set("externalId", update.get("externalId"));
              }
              if (update.has("orderParameters")) {
                JsonNode op = update.get("orderParameters");
                merged.set("orderParameters", op.isNull() ? Json.object() : op);
              }
              return entry(k, old == null ? null : old.seed, merged);
            });
    return e == null ? null : e.rendered;
  }

  /** Checks the types of an update body's known fields. */
  public static void validateUpdate(JsonNode update) {
    if (!update.isObject()) {
      throw new IllegalArgumentException("an update must be a JSON object");
    }
    JsonNode ext = update.get("externalId");
    if (ext != null && !ext.isNull() && !ext.isTextual()) {
      throw new IllegalArgumentException("\"externalId\" must be a string or null");
    }
    JsonNode op = update.get("orderParameters");
    if (op != null && !op.isNull() && !op.isObject()) {
      throw new IllegalArgumentException("\"orderParameters\" must be a JSON object");
    }
  }

  private static Entry entry(String uuid, SeedConfiguration seed, ObjectNode update) {
    ConfigurationModel model = DerivationRule.derive(uuid);
    if (seed != null) {
      model.applySeed(seed.overlay());
    }
    if (update != null) {
      model.applyUpdate(update);
    }
    return new Entry(seed, update, model.render());
  }
}
