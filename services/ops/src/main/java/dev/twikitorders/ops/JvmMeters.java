package dev.twikitorders.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Micrometer's JVM and process meters, the same in every deployable: {@code jvm_memory_*}, {@code
 * jvm_buffer_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_classes_*}, {@code
 * process_cpu_usage}, {@code process_uptime_seconds}, {@code system_cpu_*}.
 */
public final class JvmMeters {
  private JvmMeters() {}

  /**
   * Binds them to {@code registry}; the returned GC binder must be closed when the registry is no
   * longer served.
   */
  public static JvmGcMetrics bind(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return gc;
  }
}
