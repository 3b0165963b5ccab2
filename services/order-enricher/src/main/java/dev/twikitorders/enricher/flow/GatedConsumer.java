package dev.twikitorders.enricher.flow;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The stream thread's main consumer with an {@link InputGate} in front: before each {@code poll}
 * the partitions the gate holds are paused, and the ones it let go are resumed, unless Kafka
 * Streams paused them itself.
 *
 * <p>Kafka Streams pauses and resumes partitions on its own (a full input buffer, a task that is
 * not ready yet) and does not read the consumer's paused set back; it resumes what it paused. This
 * wrapper keeps the two reasons apart: a partition paused only by the gate is in {@code gateOnly};
 * Streams' own {@code pause} takes it out of there (then Streams decides), Streams' {@code resume}
 * of a held partition is deferred until the gate lets it go, and {@code paused()} reports only what
 * Streams paused.
 *
 * <p>A dynamic proxy rather than a hand-written delegate: the {@link Consumer} interface has some
 * fifty methods that change between Kafka versions, and only four of them matter here.
 *
 * <p>Not thread-safe, like the consumer it wraps: used by its stream thread only.
 */
public final class GatedConsumer implements InvocationHandler {
  private final Consumer<byte[], byte[]> delegate;
  private final InputGate gate;
  private final Set<TopicPartition> gateOnly = new HashSet<>();

  private GatedConsumer(Consumer<byte[], byte[]> delegate, InputGate gate) {
    this.delegate = delegate;
    this.gate = gate;
  }

  /** {@code delegate} behind {@code gate}. */
  @SuppressWarnings("unchecked")
  public static Consumer<byte[], byte[]> wrap(Consumer<byte[], byte[]> delegate, InputGate gate) {
    return (Consumer<byte[], byte[]>)
        Proxy.newProxyInstance(
            GatedConsumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            new GatedConsumer(delegate, gate));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "poll" -> applyGate();
      case "pause" -> {
        Collection<TopicPartition> partitions = (Collection<TopicPartition>) args[0];
        gateOnly.removeAll(partitions); // Streams wants them paused too: its resume decides
        delegate.pause(partitions);
        return null;
      }
      case "resume" -> {
        Collection<TopicPartition> partitions = (Collection<TopicPartition>) args[0];
        List<TopicPartition> free = partitions.stream().filter(p -> !gate.holds(p)).toList();
        for (TopicPartition p : partitions) {
          if (gate.holds(p)) {
            gateOnly.add(p); // resumed by the gate once it lets go
          }
        }
        delegate.resume(free);
        return null;
      }
      case "paused" -> {
        Set<TopicPartition> paused = new HashSet<>(delegate.paused());
        paused.removeAll(gateOnly);
        return paused;
      }
      case "toString" -> {
        if (method.getParameterCount() == 0) {
          return "GatedConsumer[" + delegate + "]";
        }
      }
      default -> {}
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void applyGate() {
    Set<TopicPartition> assigned = delegate.assignment();
    gateOnly.retainAll(assigned); // a revoked partition forgets its pause
    Set<TopicPartition> paused = delegate.paused();
    List<TopicPartition> toPause = null;
    for (TopicPartition p : assigned) {
      if (gate.holds(p) && !paused.contains(p)) {
        if (toPause == null) {
          toPause = new java.util.ArrayList<>();
        }
        toPause.add(p);
        gateOnly.add(p);
      }
    }
    if (toPause != null) {
      delegate.pause(toPause);
    }
    if (!gateOnly.isEmpty()) {
      List<TopicPartition> toResume = gateOnly.stream().filter(p -> !gate.holds(p)).toList();
      if (!toResume.isEmpty()) {
        toResume.forEach(gateOnly::remove);
        delegate.resume(toResume);
      }
    }
  }
}
