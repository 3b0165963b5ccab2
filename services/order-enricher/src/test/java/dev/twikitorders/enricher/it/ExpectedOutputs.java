package dev.twikitorders.enricher.it;

import dev.twikitorders.enricher.it.TestOrders.Produced;
import dev.twikitorders.schemas.OrderEvent;
import dev.twikitorders.schemas.OrderEventType;
import dev.twikitorders.schemas.OrderLine;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the pipeline must write for a set of produced input records (docs/contracts.md, invariant
 * 1), as a multiset of {@link OutputKey}: per configured line of a valid ORDER_PLACED event one ERP
 * and one fulfillment record, or one dead letter (unknown and incompatible configurations, by the
 * sandbox's data rules); per configured line of a cancellation a CANCELLED record on both topics;
 * per unreadable or invalid record one dead letter.
 *
 * <p>Stateless. The rules mirror the input contract independently of the main code's validator.
 */
final class ExpectedOutputs {
  /** Output topics by role. */
  enum Role {
    ERP,
    FULFILLMENT,
    DEAD_LETTER
  }

  /**
   * What identifies one output record: role, idempotency key and status (or dead-letter reason).
   */
  record OutputKey(Role role, String idempotencyKey, String status)
      implements Comparable<OutputKey> {
    @Override
    public int compareTo(OutputKey o) {
      int c = role.compareTo(o.role);
      if (c == 0) {
        c = idempotencyKey.compareTo(o.idempotencyKey);
      }
      return c != 0 ? c : status.compareTo(o.status);
    }
  }

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private ExpectedOutputs() {}

  /** The expected multiset (key to count; every count is 1 for distinct event ids). */
  static Map<OutputKey, Long> of(Collection<Produced> produced) {
    Map<OutputKey, Long> expected = new TreeMap<>();
    for (Produced p : produced) {
      OrderEvent event = p.item().event();
      if (event == null) {
        add(expected, new OutputKey(Role.DEAD_LETTER, p.source(), "UNREADABLE"));
        continue;
      }
      if (!valid(event, p.item().key())) {
        add(expected, new OutputKey(Role.DEAD_LETTER, event.getEventId(), "INVALID_EVENT"));
        continue;
      }
      for (OrderLine line : event.getLines()) {
        String id = line.getConfigurationId();
        if (id == null) {
          continue;
        }
        String key = event.getEventId() + ":" + line.getLineId();
        if (event.getEventType() == OrderEventType.ORDER_CANCELLED) {
          add(expected, new OutputKey(Role.ERP, key, "CANCELLED"));
          add(expected, new OutputKey(Role.FULFILLMENT, key, "CANCELLED"));
        } else if (id.startsWith("00000000")) {
          add(expected, new OutputKey(Role.DEAD_LETTER, key, "NOT_FOUND"));
        } else if (id.startsWith("dead")) {
          add(expected, new OutputKey(Role.DEAD_LETTER, key, "INCOMPATIBLE"));
        } else {
          add(expected, new OutputKey(Role.ERP, key, "PLACED"));
          add(expected, new OutputKey(Role.FULFILLMENT, key, "PLACED"));
        }
      }
    }
    return expected;
  }

  /** Total number of expected records. */
  static long total(Map<OutputKey, Long> expected) {
    return expected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The parts of the input contract the generated invalid events break. */
  static boolean valid(OrderEvent event, String key) {
    if (key != null && !key.equals(event.getOrderId())) {
      return false;
    }
    if (event.getCurrency() == null || !CURRENCY.matcher(event.getCurrency()).matches()) {
      return false;
    }
    return event.getLines().stream().allMatch(l -> l.getQuantity() > 0);
  }

  private static void add(Map<OutputKey, Long> m, OutputKey k) {
    m.merge(k, 1L, Long::sum);
  }
}
