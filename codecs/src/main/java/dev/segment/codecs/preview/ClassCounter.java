package dev.segment.codecs.preview;

import java.nio.ByteBuffer;

/** Which class ids cover at least a minimum share of a label map; reuses its counts array. Not thread-safe. */
final class ClassCounter {
    private final long[] counts;
    private final double minShare;

    ClassCounter(int classes, double minShare) {
        if (classes < 1 || !(minShare >= 0 && minShare < 1)) {
            throw new IllegalArgumentException(
                    "classes must be >= 1 and minShare in [0, 1), got " + classes + ", " + minShare);
        }
        this.counts = new long[classes];
        this.minShare = minShare;
    }

    /** Fewest pixels of {@code pixels} a class must cover to be in view at {@code minShare}: at least one. */
    static long minPixels(double minShare, long pixels) {
        return Math.max(1, (long) Math.ceil(minShare * pixels));
    }

    /** Class ids present, ascending; ids outside 0..classes-1 (e.g. 255 void) are ignored. */
    int[] present(ByteBuffer labels, int pixels) {
        java.util.Arrays.fill(counts, 0);
        ByteBuffer l = labels.duplicate();
        int base = l.position();
        for (int i = 0; i < pixels; i++) {
            int id = l.get(base + i) & 0xff;
            if (id < counts.length) {
                counts[id]++;
            }
        }
        int n = 0;
        long min = minPixels(minShare, pixels);
        for (long c : counts) {
            if (c >= min) {
                n++;
            }
        }
        int[] ids = new int[n];
        n = 0;
        for (int id = 0; id < counts.length; id++) {
            if (counts[id] >= min) {
                ids[n++] = id;
            }
        }
        return ids;
    }
}
