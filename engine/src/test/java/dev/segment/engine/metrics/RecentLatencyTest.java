package dev.segment.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Windowed percentiles on given times (no clock: each value's time is passed in). */
class RecentLatencyTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void startUpFramesLeaveTheWindowOnceItHasPassed() {
        RecentLatency r = new RecentLatency(Duration.ofSeconds(60), 6);
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            r.record(t0 + i * MS, 3000 * MS); // a slow start
        }
        assertEquals(3000, r.millis(t0 + 10 * S, 1.0)[0], 3, "still within the window");
        for (int i = 0; i < 600; i++) {
            r.record(t0 + S + i * 200 * MS, 100 * MS); // two minutes at 5 fps, 100 ms each
        }
        long end = t0 + S + 600 * 200 * MS;
        double[] p = r.millis(end, 0.5, 0.99, 1.0);
        assertEquals(100, p[0], 0.5);
        assertEquals(100, p[2], 0.5, "the start is more than a minute ago: gone");
    }

    @Test
    void aQuietSpellLongerThanTheWindowEmptiesIt() {
        RecentLatency r = new RecentLatency(Duration.ofSeconds(60), 6);
        long t0 = System.nanoTime();
        r.record(t0, 50 * MS);
        assertEquals(50, r.millis(t0 + S, 0.99)[0], 0.1);
        assertTrue(Double.isNaN(r.millis(t0 + 200 * S, 0.99)[0]), "nothing within the last minute");
        r.record(t0 + 201 * S, 70 * MS);
        assertEquals(70, r.millis(t0 + 202 * S, 1.0)[0], 0.1);
    }
}
