package dev.segment.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segment.serve.events.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTrackerTest {
    private static final Rule RULE = new Rule("r", null, List.of("person"), List.of(15), 0.02, 1.0, 2.0, 5.0);

    /** Feeds shares at 5 frames a second from t = 0 and returns "type@seconds" of each message. */
    private static List<String> run(double... shares) {
        RuleTracker t = new RuleTracker(RULE);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            Event.Type type = t.observe(i * 0.2, shares[i]);
            if (type != null) {
                out.add(type.name().toLowerCase() + "@" + Math.round(i * 0.2 * 10) / 10.0);
            }
        }
        return out;
    }

    private static double[] series(int frames, int from, int to, double share) {
        double[] s = new double[frames];
        for (int i = from; i < to; i++) {
            s[i] = share;
        }
        return s;
    }

    @Test
    void startsOnceTheShareHeldForItsTimeAndEndsAfterTheHold() {
        // above from 1.0 s to 3.0 s (frames 5..14): start at 2.0 s, last above 2.8 s, end at 4.8 s
        assertEquals(List.of("start@2.0", "end@4.8"), run(series(40, 5, 15, 0.05)));
    }

    @Test
    void aShortBlipRaisesNothing() {
        assertEquals(List.of(), run(series(40, 5, 9, 0.05)));
    }

    @Test
    void aDipShorterThanTheHoldDoesNotEndTheEvent() {
        double[] s = series(60, 5, 40, 0.05);
        for (int i = 20; i < 25; i++) {
            s[i] = 0; // 1 s below, hold is 2 s
        }
        assertEquals(List.of("start@2.0", "update@7.0", "end@9.8"), run(s));
    }

    @Test
    void updatesComeAtMostEveryUpdateSeconds() {
        List<String> m = run(series(80, 0, 80, 0.5));
        assertEquals(List.of("start@1.0", "update@6.0", "update@11.0"), m);
    }

    @Test
    void theStartIsWhenTheShareFirstHeldAndThePeakIsKept() {
        RuleTracker t = new RuleTracker(RULE);
        assertNull(t.observe(0, 0.03));
        assertNull(t.observe(0.5, 0.09));
        assertEquals(Event.Type.START, t.observe(1.0, 0.04));
        assertEquals(0.0, t.startSeconds());
        t.observe(1.2, 0.08);
        assertEquals(0.08, t.peak(), "the peak since the start");
    }
}
