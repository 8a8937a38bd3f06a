package dev.segment.engine.diagnostics;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Pointer;

/**
 * Reads the process's memory counters (see {@link MemoryCounter}) without disturbing them: no {@code System.gc()},
 * no allocation beyond a few small objects, about 50 µs per sample, so that a pipeline listener can sample from the
 * output thread every few frames. Used by {@code segment soak} and by leak tests through {@link #measure} and
 * {@link LeakCheck}.
 *
 * <p>Native memory is what the JVM cannot see: FFmpeg frames and codec state, TensorFlow tensors and sessions, the
 * CRF's buffers. JavaCPP counts what it allocates or wraps with a deallocator ({@link Pointer#totalBytes()},
 * {@link Pointer#totalCount()}); anything else shows only in the RSS.
 */
public final class NativeMemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct"))
            .findFirst()
            .orElse(null);
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    private final boolean procStatus = Files.isReadable(STATUS);

    /** Every counter now; {@code iteration} is stored as given (the frame index of a pipeline, a loop counter). */
    public MemorySample sample(long iteration) {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        return new MemorySample(
                iteration,
                System.nanoTime(),
                rssBytes(),
                heap.getUsed(),
                heap.getCommitted(),
                heapAfterLastGc(),
                direct == null ? -1 : direct.getMemoryUsed(),
                direct == null ? -1 : direct.getCount(),
                Pointer.totalBytes(),
                Pointer.physicalBytes(),
                Pointer.totalCount());
    }

    /** Resident set size from {@code /proc/self/status} (VmRSS), else JavaCPP's measure of it. */
    public long rssBytes() {
        if (procStatus) {
            try {
                for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                    if (line.startsWith("VmRSS:")) {
                        String[] parts = line.substring(6).trim().split("\\s+");
                        return Long.parseLong(parts[0]) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // fall through to JavaCPP's measure
            }
        }
        return Pointer.physicalBytes();
    }

    /** Heap used just after the latest collection of any collector (young or full), or -1 before the first. */
    private long heapAfterLastGc() {
        long latestEnd = -1;
        long used = -1;
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
                com.sun.management.GcInfo info = sun.getLastGcInfo();
                if (info != null && info.getEndTime() > latestEnd) {
                    latestEnd = info.getEndTime();
                    used = heapOf(info.getMemoryUsageAfterGc());
                }
            }
        }
        return used;
    }

    private long heapOf(Map<String, MemoryUsage> pools) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }

    /** One step of a measured loop. */
    @FunctionalInterface
    public interface Iteration {
        void run(int iteration) throws Exception;
    }

    /**
     * Runs {@code body} {@code iterations} times and samples before the first and after every {@code sampleEvery}-th
     * iteration (and after the last): the series a {@link LeakCheck} judges, e.g. "after 20 warm-up runs, JavaCPP
     * bytes grow by at most 64 KiB over 200 more".
     */
    public MemorySeries measure(int iterations, int sampleEvery, Iteration body) throws Exception {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1, got " + sampleEvery);
        }
        MemorySeries series = new MemorySeries();
        series.add(sample(0));
        for (int i = 0; i < iterations; i++) {
            body.run(i);
            if ((i + 1) % sampleEvery == 0 || i + 1 == iterations) {
                series.add(sample(i + 1));
            }
        }
        return series;
    }
}
