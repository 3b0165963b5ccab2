package dev.twikitorders.twikit.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, null-tolerant immutable copies of parsed JSON values. Stateless. */
final class Immutables {

  private Immutables() {}

  static <T> List<T> list(List<T> in) {
    if (in == null) {
      return null;
    }
    List<T> out = new ArrayList<>(in.size());
    for (T t : in) {
      out.add(freezeAny(t));
    }
    return Collections.unmodifiableList(out);
  }

  static Map<String, Object> map(Map<String, ?> in) {
    if (in == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, freeze(v)));
    return Collections.unmodifiableMap(out);
  }

  @SuppressWarnings("unchecked")
  private static <T> T freezeAny(T value) {
    return (T) freeze(value);
  }

  @SuppressWarnings("unchecked")
  static Object freeze(Object value) {
    if (value instanceof Map<?, ?> m) {
      return map((Map<String, ?>) m);
    }
    if (value instanceof List<?> l) {
      return list((List<Object>) l);
    }
    return value;
  }
}
