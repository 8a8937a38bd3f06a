package dev.segment.codecs;

import dev.segment.codecs.internal.LegendPainter;
import java.nio.ByteBuffer;

/**
 * Blends the VOC class colour over an RGB frame: {@code out = round((1 - alpha) * rgb + alpha * colour)} per channel,
 * background (class 0) pixels copied unchanged; optionally draws a legend (a colour box and the name of each class
 * present) in the top-left corner. Lookup tables are built once; {@link #render} allocates nothing. Not thread-safe:
 * one renderer per output stage.
 */
public final class OverlayRenderer {
    private final double alpha;
    private final boolean legend;
    /** blend[(label * 3 + channel) * 256 + value]. */
    private final byte[] blend = new byte[256 * 3 * 256];
    private final int[] counts = new int[256];
    private final LegendPainter painter = new LegendPainter();

    public OverlayRenderer(double alpha, boolean legend) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.legend = legend;
        for (int label = 0; label < 256; label++) {
            int colour = VocPalette.rgb(label);
            for (int ch = 0; ch < 3; ch++) {
                int c = (colour >> (16 - 8 * ch)) & 0xff;
                for (int v = 0; v < 256; v++) {
                    int out = label == 0 ? v : (int) Math.round((1 - alpha) * v + alpha * c);
                    blend[(label * 3 + ch) * 256 + v] = (byte) out;
                }
            }
        }
    }

    public double alpha() {
        return alpha;
    }

    /**
     * Writes the overlay of {@code rgb} (packed RGB24) and {@code labels} (one class id per pixel) into {@code out}.
     * Reads and writes from index 0 of each buffer (absolute access; positions are not changed). {@code out} may
     * be {@code rgb} itself.
     */
    public void render(ByteBuffer rgb, ByteBuffer labels, int width, int height, ByteBuffer out) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        int pixels = width * height;
        check("rgb", rgb, pixels * 3);
        check("labels", labels, pixels);
        check("out", out, pixels * 3);
        if (legend) {
            java.util.Arrays.fill(counts, 0);
        }
        for (int p = 0, i = 0; p < pixels; p++, i += 3) {
            int label = labels.get(p) & 0xff;
            int base = label * 768;
            out.put(i, blend[base + (rgb.get(i) & 0xff)]);
            out.put(i + 1, blend[base + 256 + (rgb.get(i + 1) & 0xff)]);
            out.put(i + 2, blend[base + 512 + (rgb.get(i + 2) & 0xff)]);
            if (legend) {
                counts[label]++;
            }
        }
        if (legend) {
            painter.paint(counts, out, width, height);
        }
    }

    private static void check(String name, ByteBuffer b, int needed) {
        if (b == null || b.limit() < needed) {
            throw new IllegalArgumentException(name + " buffer must hold at least " + needed + " bytes, has "
                    + (b == null ? "null" : b.limit()));
        }
    }
}
