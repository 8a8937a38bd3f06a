package dev.segment.engine.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/** The detector itself: it must flag memory kept per iteration and stay quiet when each iteration frees its own. */
class LeakCheckTest {
    private static final int CHUNK = 64 * 1024;

    private final NativeMemoryProbe probe = new NativeMemoryProbe();

    @Test
    void shouldFlagJavaCppMemoryThatIsNeverClosed() throws Exception {
        List<BytePointer> kept = new ArrayList<>();
        try {
            MemorySeries series = probe.measure(60, 10, i -> kept.add(new BytePointer(CHUNK)));
            List<String> v = LeakCheck.afterWarmup(10)
                    .allow(MemoryCounter.JAVACPP_BYTES, 256 * 1024)
                    .allow(MemoryCounter.JAVACPP_POINTERS, 8)
                    .violations(series);
            assertEquals(2, v.size(), v.toString());
            assertTrue(v.get(0).startsWith("javacpp grew by 3.1"), v.get(0)); // 50 x 64 KiB = 3.125 MiB
            assertTrue(v.get(1).startsWith("pointers grew by 50"), v.get(1));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> LeakCheck.afterWarmup(10)
                            .allow(MemoryCounter.JAVACPP_BYTES, 0)
                            .verify(series));
            assertTrue(e.getMessage().contains("javacpp MiB"), "the message carries the table: " + e.getMessage());
        } finally {
            kept.forEach(BytePointer::close);
        }
    }

    @Test
    void shouldFlagDirectBuffersThatStayReachable() throws Exception {
        List<ByteBuffer> kept = new ArrayList<>();
        MemorySeries series = probe.measure(40, 10, i -> kept.add(ByteBuffer.allocateDirect(CHUNK)));
        List<String> v = LeakCheck.afterWarmup(10)
                .allow(MemoryCounter.DIRECT_BYTES, 512 * 1024)
                .allow(MemoryCounter.DIRECT_BUFFERS, 4)
                .violations(series);
        assertEquals(2, v.size(), v.toString());
        assertEquals(40, kept.size());
    }

    @Test
    void shouldPassWhenEveryIterationClosesWhatItAllocates() throws Exception {
        MemorySeries series = probe.measure(200, 20, i -> {
            try (BytePointer p = new BytePointer(CHUNK)) {
                p.put(0, (byte) i);
            }
        });
        assertEquals(11, series.size(), "a sample before the loop and one every 20 iterations");
        LeakCheck.afterWarmup(20)
                .allow(MemoryCounter.JAVACPP_BYTES, 0)
                .allow(MemoryCounter.JAVACPP_POINTERS, 0)
                .verify(series);
    }

    @Test
    void shouldReadTheCountersOfThisProcess() {
        MemorySample s = probe.sample(7);
        assertEquals(7, s.iteration());
        assertTrue(s.rssBytes() > 16L << 20, "a JVM is bigger than 16 MiB: " + s.rssBytes());
        assertTrue(s.heapUsedBytes() > 0 && s.heapCommittedBytes() >= s.heapUsedBytes());
        assertTrue(s.directBuffers() >= 0 && s.directBytes() >= 0);
        // JavaCPP reads /proc/self/statm and counts resident minus shared pages: at most the RSS (plus what was
        // touched between the two reads)
        assertTrue(s.javacppPhysical() > 0 && s.javacppPhysical() < s.rssBytes() + (16L << 20), s.toString());
    }

    @Test
    void shouldRejectBadLimitsAndSeriesOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> LeakCheck.afterWarmup(-1));
        assertThrows(
                IllegalArgumentException.class,
                () -> LeakCheck.afterWarmup(0).allowPercent(MemoryCounter.RSS, 0, Double.NaN));
        MemorySeries series = new MemorySeries();
        series.add(probe.sample(5));
        assertThrows(IllegalArgumentException.class, () -> series.add(probe.sample(4)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> series.baseline(6));
        assertTrue(e.getMessage().contains("no sample at or after iteration 6"), e.getMessage());
    }
}
