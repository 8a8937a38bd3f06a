package dev.segment.codecs.live;

/**
 * Wall-clock presentation times for live frames: microseconds since the clock's origin, strictly increasing even
 * when two frames arrive in the same microsecond or the source restarts. One reading thread uses it.
 */
final class MonotonicClock {
    private final long originNanos;
    private long last = -1;

    MonotonicClock(long originNanos) {
        this.originNanos = originNanos;
    }

    long micros(long nanoTime) {
        long v = Math.max(0, (nanoTime - originNanos) / 1000);
        if (v <= last) {
            v = last + 1;
        }
        last = v;
        return v;
    }

    /** Makes the next value at least {@code floor}: for sources whose own times restart. */
    long atLeast(long candidate) {
        long v = candidate <= last ? last + 1 : candidate;
        last = v;
        return v;
    }
}
