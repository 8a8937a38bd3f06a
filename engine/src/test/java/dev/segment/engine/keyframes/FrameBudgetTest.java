package dev.segment.engine.keyframes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameBudgetTest {
    /** Frames the budget grants when every frame asks, over {@code frames} frames. */
    private static int granted(FrameBudget budget, int frames) {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (budget.grant()) {
                n++;
            }
            budget.tick();
        }
        return n;
    }

    @Test
    void theModelRunsOnAtMostTheShareOfFramesPlusTheBucket() {
        int n = granted(new FrameBudget(0.25), 400);
        // 100 frames' worth of share, plus the two runs the full bucket holds at the start
        assertTrue(n >= 100 && n <= 100 + FrameBudget.CAPACITY, "granted " + n);
    }

    @Test
    void aShareOfOneNeverDenies() {
        assertEquals(50, granted(new FrameBudget(1), 50));
    }

    @Test
    void aQuietStretchRefillsTheBucketForABurst() {
        FrameBudget budget = new FrameBudget(0.1);
        granted(budget, 100); // spent
        for (int i = 0; i < 30; i++) {
            budget.tick(); // 3 runs' worth, capped at the bucket
        }
        assertTrue(budget.grant());
        assertTrue(budget.grant());
        assertFalse(budget.grant(), "the bucket holds two runs");
    }

    @Test
    void forcedKeyframesArePaidForButNeverOverdrawn() {
        FrameBudget budget = new FrameBudget(0.5);
        budget.force();
        budget.force();
        budget.force(); // a third cut in a row: already empty, not below
        assertFalse(budget.grant());
        budget.tick();
        budget.tick();
        assertTrue(budget.grant(), "two frames at 0.5 refill one run after the bucket ran dry");
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FrameBudget(0));
        assertThrows(IllegalArgumentException.class, () -> new FrameBudget(1.5));
        assertThrows(IllegalArgumentException.class, () -> new FrameBudget(Double.NaN));
    }
}
