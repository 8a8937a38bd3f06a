package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segment.engine.FrameReport;
import dev.segment.engine.KeyframeReason;
import org.junit.jupiter.api.Test;

/** Percentiles of the whole run, however long: frames after the first 2^20 count as much as the first. */
class LatencyPercentilesTest {
    private static FrameReport frame(long latencyNanos) {
        return new FrameReport(
                0,
                0,
                4,
                2,
                new long[] {8},
                new long[FrameReport.Stage.values().length],
                new long[5],
                latencyNanos,
                0,
                false,
                0,
                0,
                new FrameReport.Keyframe(
                        true, KeyframeReason.ALL, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    }

    @Test
    void nothingBeforeTheFirstFrame() {
        double[] p = new LatencyPercentiles().millis(0.5, 0.99);
        assertTrue(Double.isNaN(p[0]) && Double.isNaN(p[1]));
    }

    @Test
    void framesAfterTheFirstMillionCount() {
        LatencyPercentiles latency = new LatencyPercentiles();
        FrameReport fast = frame(10_000_000); // 10 ms
        FrameReport slow = frame(500_000_000); // 500 ms
        for (int i = 0; i < 1 << 20; i++) {
            latency.onFrame(fast);
        }
        assertEquals(10.0, latency.millis(0.5)[0], 0.01, "10 ms within 0.1%");
        for (int i = 0; i < 3 << 20; i++) { // about 46 hours at 25 fps in all
            latency.onFrame(slow);
        }
        double[] p = latency.millis(0.2, 0.5, 0.99);
        assertEquals(10.0, p[0], 0.01, "the first quarter of the frames");
        assertEquals(500.0, p[1], 0.5, "the median is a frame recorded after 2^20");
        assertEquals(500.0, p[2], 0.5);
    }

    @Test
    void aLatencyBeyondAnHourCountsAsAnHour() {
        LatencyPercentiles latency = new LatencyPercentiles();
        latency.onFrame(frame(5L * 3600 * 1_000_000_000L));
        assertEquals(3_600_000.0, latency.millis(1.0)[0], 3_600);
    }
}
