package dev.earshot.operator.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Micrometer's JVM and process meters ({@code jvm_memory_*}, {@code jvm_gc_*},
 * {@code jvm_threads_*}, {@code process_cpu_*}, {@code system_cpu_*}, uptime, file descriptors),
 * the same set as the gateway's, so one dashboard serves both. Read only when scraped. Closing
 * removes the GC notification listeners; the tests start many operators in one JVM.
 */
public final class JvmMeters implements AutoCloseable {

    private final JvmGcMetrics gc;

    private JvmMeters(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds every meter to {@code registry}. */
    public static JvmMeters bindTo(MeterRegistry registry) {
        new JvmInfoMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new JvmMeters(gc);
    }

    @Override
    public void close() {
        gc.close();
    }
}
