package dev.segment.codecs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
    @Test
    void doublesTheDelayUpToTheCapWithoutJitter() {
        ReconnectPolicy p = new ReconnectPolicy(-1, 100, 1000, 0);
        Random r = new Random(1);
        assertEquals(100, p.delayMillis(1, r));
        assertEquals(200, p.delayMillis(2, r));
        assertEquals(400, p.delayMillis(3, r));
        assertEquals(800, p.delayMillis(4, r));
        assertEquals(1000, p.delayMillis(5, r));
        assertEquals(1000, p.delayMillis(500, r));
    }

    @Test
    void jitterStaysWithinItsBandAndVaries() {
        ReconnectPolicy p = new ReconnectPolicy(-1, 1000, 60_000, 0.25);
        Random r = new Random(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long d = p.delayMillis(2, r);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min >= 1500 && max <= 2500, min + ".." + max);
        assertTrue(max - min > 500, "jitter should spread delays, got " + min + ".." + max);
    }

    @Test
    void unlimitedByDefaultAndLimitedWhenConfigured() {
        assertTrue(ReconnectPolicy.DEFAULT.allows(1_000_000));
        assertFalse(ReconnectPolicy.NEVER.allows(1));
        ReconnectPolicy three = new ReconnectPolicy(3, 10, 10, 0);
        assertTrue(three.allows(3));
        assertFalse(three.allows(4));
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(-1, 100, 50, 0))
                .getMessage()
                .contains("reconnect.maxDelayMs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(-1, 1, 5, 1.5))
                .getMessage()
                .contains("reconnect.jitter"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(-2, 1, 5, 0))
                .getMessage()
                .contains("reconnect.maxAttempts"));
    }
}
