package dev.segment.codecs.internal;

import dev.segment.codecs.VocPalette;
import java.nio.ByteBuffer;

/**
 * Writes the class name on every large segment of a frame: the labels are sampled on a coarse grid (about 60 cells
 * high), the grid's 4-connected regions of one class are found, and each region of at least {@link #MIN_SHARE} of
 * the frame gets its class name, on a darkened band, centred on the region's cell nearest its centroid (a
 * ring-shaped region is labelled on itself, not in its hole). Buffers grow with the frame and are then reused.
 */
public final class SegmentLabels {
    /** Least share of the frame a segment must cover to be named. */
    public static final double MIN_SHARE = 0.02;

    private int[] cells = new int[0];
    private int[] region = new int[0];
    private int[] queue = new int[0];

    /** Paints the names of the large segments of {@code labels} into {@code out} with the legend's font scale. */
    public void paint(ByteBuffer labels, int width, int height, ByteBuffer out, int scale) {
        int cell = Math.max(4, height / 60);
        int gw = width / cell;
        int gh = height / cell;
        if (gw < 2 || gh < 2) {
            return;
        }
        int n = gw * gh;
        if (cells.length < n) {
            cells = new int[n];
            region = new int[n];
            queue = new int[n];
        }
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                int x = gx * cell + cell / 2;
                int y = gy * cell + cell / 2;
                cells[gy * gw + gx] = labels.get(y * width + x) & 0xff;
                region[gy * gw + gx] = -1;
            }
        }
        int minCells = (int) Math.ceil(MIN_SHARE * n);
        int regions = 0;
        for (int start = 0; start < n; start++) {
            int label = cells[start];
            if (label == 0 || region[start] >= 0) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            region[start] = regions;
            long sumX = 0;
            long sumY = 0;
            while (head < tail) {
                int c = queue[head++];
                int cx = c % gw;
                int cy = c / gw;
                sumX += cx;
                sumY += cy;
                tail = visit(c - 1, cx > 0, label, regions, tail);
                tail = visit(c + 1, cx < gw - 1, label, regions, tail);
                tail = visit(c - gw, cy > 0, label, regions, tail);
                tail = visit(c + gw, cy < gh - 1, label, regions, tail);
            }
            if (tail >= minCells) {
                double mx = (double) sumX / tail;
                double my = (double) sumY / tail;
                int nearest = queue[0];
                double best = Double.MAX_VALUE;
                for (int k = 0; k < tail; k++) {
                    int c = queue[k];
                    double d = (c % gw - mx) * (c % gw - mx) + (c / gw - my) * (c / gw - my);
                    if (d < best) {
                        best = d;
                        nearest = c;
                    }
                }
                String name = VocPalette.className(label);
                int textW = LegendPainter.textWidth(name, scale);
                int textH = LegendPainter.textHeight(scale);
                int x = Math.max(0, Math.min(width - textW, (nearest % gw) * cell + cell / 2 - textW / 2));
                int y = Math.max(0, Math.min(height - textH, (nearest / gw) * cell + cell / 2 - textH / 2));
                LegendPainter.darken(out, width, height, x - scale, y - scale, textW + 2 * scale, textH + 2 * scale);
                LegendPainter.text(out, width, height, name, x, y, scale);
            }
            regions++;
        }
    }

    private int visit(int c, boolean inside, int label, int id, int tail) {
        if (inside && region[c] < 0 && cells[c] == label) {
            region[c] = id;
            queue[tail++] = c;
        }
        return tail;
    }
}
