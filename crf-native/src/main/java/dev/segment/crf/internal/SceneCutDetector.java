package dev.segment.crf.internal;

import java.nio.ByteBuffer;

/**
 * Detects scene cuts from RGB frames: a 512-bin colour histogram (8 levels per channel) over a subsample of about
 * 16k pixels, compared with the previous frame's by total-variation distance (0 = same colours, 1 = disjoint). Colour
 * histograms barely move with camera or object motion but jump at a cut. No allocation per frame.
 */
public final class SceneCutDetector {
    private static final int BINS = 512;
    private static final int TARGET_SAMPLES = 16384;

    private final float[] previous = new float[BINS];
    private final float[] current = new float[BINS];
    private boolean hasPrevious;

    /** Forgets the previous frame (the next distance is reported as 0). */
    public void reset() {
        hasPrevious = false;
    }

    /**
     * Distance in [0, 1] between this frame's colour histogram and the previous frame's; 0 for the first frame after a
     * reset. The frame becomes the new previous one.
     *
     * @param rgb width*height*3 bytes from position 0
     */
    public double distance(ByteBuffer rgb, int width, int height) {
        long pixels = (long) width * height;
        int step = (int) Math.max(1, Math.round(Math.sqrt(pixels / (double) TARGET_SAMPLES)));
        java.util.Arrays.fill(current, 0f);
        int samples = 0;
        for (int y = step / 2; y < height; y += step) {
            int row = y * width;
            for (int x = step / 2; x < width; x += step) {
                int i = (row + x) * 3;
                int r = (rgb.get(i) & 0xff) >> 5;
                int g = (rgb.get(i + 1) & 0xff) >> 5;
                int b = (rgb.get(i + 2) & 0xff) >> 5;
                current[(r << 6) | (g << 3) | b]++;
                samples++;
            }
        }
        double d = 0;
        float inv = 1f / samples;
        for (int k = 0; k < BINS; k++) {
            current[k] *= inv;
            d += Math.abs(current[k] - previous[k]);
        }
        boolean had = hasPrevious;
        System.arraycopy(current, 0, previous, 0, BINS);
        hasPrevious = true;
        return had ? Math.min(1, d / 2) : 0;
    }
}
