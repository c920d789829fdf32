package dev.earshot.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_resident_memory_bytes}, the name Prometheus' own clients use: the memory the
 * process really holds, heap or not. Micrometer has no binder for it, and the load tool divides
 * its growth by the sessions held to get the memory per idle session (docs/performance.md).
 * Linux only (the {@code VmRSS} line of {@code /proc/self/status}, in kB whatever the page size);
 * elsewhere the gauge is not registered.
 */
final class ResidentMemory implements MeterBinder {
    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (bytes() > 0) {
            Gauge.builder("process.resident.memory", ResidentMemory::bytes)
                    .baseUnit("bytes")
                    .description("Resident memory of this process")
                    .register(registry);
        }
    }

    /** Resident set size, or 0 where {@code /proc} cannot tell. */
    static long bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(fields[0]) * 1024;
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
