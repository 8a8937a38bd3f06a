package dev.segment.engine.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pace's decisions on given CRF times (no clocks: each frame's time is passed in). */
class CrfPaceTest {
    private static final int LIMIT = 384 * 216;
    private static final int FLOOR = 256 * 144;
    private static final long MS = 1_000_000;
    private final java.util.List<CrfPace> opened = new java.util.ArrayList<>();

    /** A pace closed after the test: an open pace takes its share of the process from every other. */
    private CrfPace open(int limit, int floor, double frameRate) {
        CrfPace pace = new CrfPace(limit, floor, frameRate);
        opened.add(pace);
        return pace;
    }

    @org.junit.jupiter.api.AfterEach
    void closePaces() {
        opened.forEach(CrfPace::close);
    }

    @Test
    void theStreamsOfAProcessShareItsTime() {
        CrfPace one = open(LIMIT, FLOOR, 5);
        assertEquals(200 * MS, one.intervalNanos());
        CrfPace[] more = {open(LIMIT, FLOOR, 5), open(LIMIT, FLOOR, 5), open(LIMIT, FLOOR, 5)};
        assertEquals(50 * MS, one.intervalNanos(), "four cameras at 5 fps: 50 ms of every 200 each");
        for (int i = 0; i < 15; i++) {
            one.record(45 * MS, FLOOR); // 45 ms: room on a camera of its own, over its share among four
        }
        assertEquals(FLOOR, one.budget(), "no climb on 45 of 50 ms");
        for (CrfPace p : more) {
            p.close();
            p.close(); // idempotent
        }
        assertEquals(200 * MS, one.intervalNanos(), "closed streams give their share back");
    }

    @Test
    void startsAtTheFloorAndStaysThereWhileTheCrfTakesMostOfTheFrameInterval() {
        CrfPace pace = open(LIMIT, FLOOR, 25);
        assertEquals(FLOOR, pace.budget(), "the first frames are the slowest: start small");
        assertEquals(40 * MS, pace.intervalNanos());
        for (int i = 0; i < 250; i++) {
            assertFalse(pace.record(27 * MS, FLOOR), "27 ms of 40: no room for a grid 1.4 times as large");
        }
        assertEquals(FLOOR, pace.budget());
    }

    @Test
    void climbsOneStepAfterThreeCalmWindowsUpToTheLimit() {
        CrfPace pace = open(LIMIT, FLOOR, 25);
        int changes = 0;
        int frames = 0;
        while (pace.budget() < LIMIT && frames < 1000) {
            int before = pace.budget();
            if (pace.record(10 * MS, pace.budget())) {
                changes++;
                assertEquals(Math.min(LIMIT, Math.round(before * CrfPace.STEP)), pace.budget());
                assertTrue(frames + 1 >= 75 * changes, "at most one step per three windows of 25 frames: " + frames);
            }
            frames++;
        }
        assertEquals(LIMIT, pace.budget(), "a CRF with room everywhere ends at the configured limit");
        assertEquals(3, changes, "256x144 -> x1.4 -> x1.4 -> the limit");
        for (int i = 0; i < 100; i++) {
            pace.record(10 * MS, LIMIT);
        }
        assertEquals(LIMIT, pace.budget(), "never above the limit");
    }

    @Test
    void aSlowWindowLowersTheBudgetToTheGridThatTakesTheTargetShare() {
        CrfPace pace = climbed();
        for (int i = 0; i < 24; i++) {
            assertFalse(pace.record(48 * MS, LIMIT));
        }
        assertTrue(pace.record(48 * MS, LIMIT), "decided at the end of a window");
        // 48 ms of 40 is 1.2 of the interval; the target is 0.6: half the pixels (cost ~ pixels)
        assertEquals(LIMIT / 2, pace.budget(), 2);
        assertEquals(48, pace.lastMedianMillis());
    }

    @Test
    void aClimbUndoneAtOnceMakesTheNextWaitTwiceAsLong() {
        CrfPace pace = open(LIMIT, FLOOR, 25);
        assertEquals(75, framesUntilChange(pace, 10), "three calm windows of 25 frames");
        int climbed = pace.budget();
        assertEquals(25, framesUntilChange(pace, 35), "35 ms of 40 on the larger grid: down after one window");
        assertEquals(FLOOR, pace.budget());
        assertEquals(150, framesUntilChange(pace, 10), "the failed climb doubled the calm needed");
        assertEquals(climbed, pace.budget());
        assertEquals(75, framesUntilChange(pace, 10), "that climb held (three windows): the usual calm again");
    }

    @Test
    void neverGoesBelowTheFloor() {
        CrfPace pace = climbed();
        for (int i = 0; i < 100; i++) {
            pace.record(400 * MS, pace.budget());
        }
        assertEquals(FLOOR, pace.budget());
    }

    @Test
    void theMedianIgnoresAFewSlowFramesInAWindow() {
        CrfPace pace = climbed();
        for (int i = 0; i < 25; i++) {
            pace.record(i % 10 == 0 ? 300 * MS : 20 * MS, LIMIT); // a cold frame after a cut, a collector pause
        }
        assertEquals(LIMIT, pace.budget());
    }

    @Test
    void doesNotClimbWhenTheFrameIsSmallerThanTheBudget() {
        CrfPace pace = open(LIMIT, FLOOR, 25);
        for (int i = 0; i < 500; i++) {
            pace.record(5 * MS, 160 * 120); // the whole frame is refined already: a larger budget changes nothing
        }
        assertEquals(FLOOR, pace.budget());
    }

    @Test
    void windowsAreAboutASecondOfFrames() {
        CrfPace slowCamera = open(LIMIT, FLOOR, 5);
        assertEquals(200 * MS, slowCamera.intervalNanos());
        for (int i = 1; i < 15; i++) {
            assertFalse(slowCamera.record(20 * MS, FLOOR), "frame " + i);
        }
        assertTrue(slowCamera.record(20 * MS, FLOOR), "5 fps: three calm windows of 5 frames");
    }

    @Test
    void rejectsASenselessRange() {
        assertThrows(IllegalArgumentException.class, () -> new CrfPace(1000, 2000, 25));
        assertThrows(IllegalArgumentException.class, () -> new CrfPace(1000, 0, 25));
        assertThrows(IllegalArgumentException.class, () -> new CrfPace(LIMIT, FLOOR, 0));
        assertThrows(IllegalArgumentException.class, () -> new CrfPace(LIMIT, FLOOR, Double.POSITIVE_INFINITY));
    }

    /** Frames of {@code ms} each, on the budget's grid, until the budget changes. */
    private static int framesUntilChange(CrfPace pace, long ms) {
        for (int i = 1; i <= 10_000; i++) {
            if (pace.record(ms * MS, pace.budget())) {
                return i;
            }
        }
        return -1;
    }

    private CrfPace climbed() {
        CrfPace pace = open(LIMIT, FLOOR, 25);
        for (int i = 0; i < 1000 && pace.budget() < LIMIT; i++) {
            pace.record(10 * MS, pace.budget());
        }
        assertEquals(LIMIT, pace.budget());
        return pace;
    }
}
