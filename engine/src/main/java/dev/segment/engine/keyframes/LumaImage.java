package dev.segment.engine.keyframes;

import java.util.Arrays;

/**
 * A frame's luma at the motion estimator's working size, with its 64-bin histogram (for scene cuts). The pixel array
 * is reused when the next frame of the same size is written into it.
 */
public final class LumaImage {
    static final int BINS = 64;

    private int width;
    private int height;
    private byte[] pixels = new byte[0];
    private final int[] histogram = new int[BINS];

    /** Makes room for {@code width x height} pixels (reusing the array) and returns it, row-major, one byte each. */
    byte[] reset(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("luma size must be positive, got " + width + "x" + height);
        }
        int n = width * height;
        if (pixels.length < n) {
            pixels = new byte[n];
        }
        this.width = width;
        this.height = height;
        return pixels;
    }

    /** Recounts the histogram after the pixels were written. */
    void countHistogram() {
        Arrays.fill(histogram, 0);
        int n = width * height;
        for (int i = 0; i < n; i++) {
            histogram[(pixels[i] & 0xff) >> 2]++;
        }
    }

    /** Copies {@code other}'s size, pixels and histogram into this image. */
    public void copyFrom(LumaImage other) {
        byte[] dst = reset(other.width, other.height);
        System.arraycopy(other.pixels, 0, dst, 0, other.width * other.height);
        System.arraycopy(other.histogram, 0, histogram, 0, BINS);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    byte[] pixels() {
        return pixels;
    }

    public boolean isEmpty() {
        return width == 0;
    }

    /**
     * Half the L1 distance of the two normalised luma histograms: 0 for the same distribution of brightness, 1 for
     * disjoint ones. Within a shot it stays small (camera motion moves pixels, not their distribution); at a cut
     * between two shots it jumps.
     */
    public double histogramDistance(LumaImage other) {
        if (isEmpty() || other.isEmpty()) {
            return 1.0;
        }
        double na = (double) width * height;
        double nb = (double) other.width * other.height;
        double sum = 0;
        for (int i = 0; i < BINS; i++) {
            sum += Math.abs(histogram[i] / na - other.histogram[i] / nb);
        }
        return sum / 2;
    }
}
