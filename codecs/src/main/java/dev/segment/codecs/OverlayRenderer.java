package dev.segment.codecs;

import dev.segment.codecs.internal.LegendPainter;
import dev.segment.codecs.internal.SegmentLabels;
import java.nio.ByteBuffer;

/**
 * Draws the class colours of the PASCAL VOC palette over an RGB frame, in one of two looks:
 * <ul>
 *   <li>{@link #outlined outlined} (the default): every segment is filled with its class colour blended so that it
 *       always shows (at least {@link #MIN_FILL_DISTANCE} away from the picture in RGB, even a grey car on grey
 *       asphalt), and gets a crisp contour in its class colour with a thin dark or light halo outside, so that its
 *       edge reads on any background;</li>
 *   <li>{@link #plain plain}: {@code out = round((1 - alpha) * rgb + alpha * colour)} per channel, the classic
 *       DeepLab demo blend, for anyone who needs exactly that.</li>
 * </ul>
 * Background (class 0) pixels are copied unchanged apart from the halo. Optionally draws a legend of the classes
 * present ({@link LegendPainter}: about 3% of the frame's height, at least 14 px, in the corner that hides the fewest
 * labelled pixels) and the class names on large segments. {@link #render} allocates nothing once a frame size has
 * been seen. Not thread-safe: one renderer per output stage.
 */
public final class OverlayRenderer {
    /**
     * Least RGB distance between a filled pixel and the picture under it (outlined look), out of 441. Chosen from what
     * the plain blend at 0.5 leaves on our clips (OverlayVisibilityTest prints it): its median is 61 for the person on
     * the people clip and 62 for the car on the car park clip, but a fifth of the car's pixels move less than 26 and
     * 23% of the person's and 37% of the car's less than 48, the patches that read as no tint at all. 48 lifts those
     * to the median's visibility and leaves the rest as the blend has them, so the picture's texture shows through.
     */
    public static final double MIN_FILL_DISTANCE = 48;
    /** Least distance of the contour's colour from the picture: the edge stands out from the fill. */
    public static final double MIN_CONTOUR_DISTANCE = 96;

    /** Below this distance from the class colour a pixel's direction to it is noise: it gets lighter or darker. */
    private static final double NO_DIRECTION = 12;

    private final boolean outline;
    private final double alpha;
    private final boolean legend;
    private final boolean names;
    /** The plain blend: blend[(label * 3 + channel) * 256 + value]; also the outlined fill where it shows enough. */
    private final byte[] blend;
    /** Squared distance to the class colour from which the plain blend alone moves a pixel far enough. */
    private final double blendEnough;
    /** Outlined look: per class, its colour's channels and the halo drawn outside its contour. */
    private final int[] colourR = new int[256];

    private final int[] colourG = new int[256];
    private final int[] colourB = new int[256];
    private final byte[] halo = new byte[256];
    private final int[] counts = new int[256];
    /** The frame's labels and pixels on the heap while it is drawn (array access; grown with the frame, then reused). */
    private byte[] lab = new byte[0];

    private byte[] pix = new byte[0];
    /** Per pixel: {@link #CONTOUR}, the class of the object whose halo it is in, or 0 (see {@link #markEdges}). */
    private byte[] mark = new byte[0];
    /** The mark of an object pixel on its segment's contour (above every class id). */
    private static final int CONTOUR = 255;

    private final LegendPainter painter = new LegendPainter();
    private final SegmentLabels segmentLabels = new SegmentLabels();

    private OverlayRenderer(boolean outline, double alpha, boolean legend, boolean names) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.outline = outline;
        this.alpha = alpha;
        this.legend = legend;
        this.names = names;
        for (int label = 0; label < 256; label++) {
            int colour = VocPalette.rgb(label);
            colourR[label] = colour >> 16 & 0xff;
            colourG[label] = colour >> 8 & 0xff;
            colourB[label] = colour & 0xff;
            // dark halo around light colours, light around dark ones: the pair reads on any picture
            halo[label] = (byte) (luma(colourR[label], colourG[label], colourB[label]) >= 100 ? 0 : 255);
        }
        blend = plainTable(alpha);
        blendEnough = alpha == 0 ? Double.POSITIVE_INFINITY : MIN_FILL_DISTANCE * MIN_FILL_DISTANCE / (alpha * alpha);
    }

    /** The plain blend of the VOC colours at {@code alpha}, with an optional legend and class names. */
    public static OverlayRenderer plain(double alpha, boolean legend, boolean classNames) {
        return new OverlayRenderer(false, alpha, legend, classNames);
    }

    /**
     * Filled segments that always show, contours with a halo, an optional legend and optional class names on the
     * large segments. {@code alpha} is the fill's opacity where that alone keeps the fill visible.
     */
    public static OverlayRenderer outlined(double alpha, boolean legend, boolean classNames) {
        return new OverlayRenderer(true, alpha, legend, classNames);
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
        if (lab.length < pixels) {
            lab = new byte[pixels];
            pix = new byte[pixels * 3];
        }
        labels.get(0, lab, 0, pixels);
        rgb.get(0, pix, 0, pixels * 3);
        if (outline) {
            renderOutlined(width, height);
        } else {
            for (int p = 0, i = 0; p < pixels; p++, i += 3) {
                blendPixel(i, lab[p] & 0xff);
            }
        }
        out.put(0, pix, 0, pixels * 3);
        if (names) {
            segmentLabels.paint(labels, width, height, out, LegendPainter.scaleFor(height));
        }
        if (legend) {
            java.util.Arrays.fill(counts, 0);
            for (int p = 0; p < pixels; p++) {
                counts[lab[p] & 0xff]++;
            }
            painter.paint(counts, labels, out, width, height);
        }
    }

    /** The plain blend of pixel {@code i} of {@link #pix} with the colour of {@code label}, from its table. */
    private void blendPixel(int i, int label) {
        int base = label * 768;
        pix[i] = blend[base + (pix[i] & 0xff)];
        pix[i + 1] = blend[base + 256 + (pix[i + 1] & 0xff)];
        pix[i + 2] = blend[base + 512 + (pix[i + 2] & 0xff)];
    }

    /** Contour width in pixels: 2 at 480 lines, growing with the frame. */
    public static int contourWidth(int height) {
        return Math.max(1, Math.round(height / 240f));
    }

    /** The outlined look of {@link #lab} over {@link #pix}, in place (a pixel's own value is read before it is written). */
    private void renderOutlined(int width, int height) {
        markEdges(width, height);
        byte[] l = lab;
        byte[] m = mark;
        int pixels = width * height;
        for (int p = 0, i = 0; p < pixels; p++, i += 3) {
            int label = l[p] & 0xff;
            int near = m[p] & 0xff;
            if (label == 0) {
                if (near != 0) {
                    byte v = halo[near];
                    pix[i] = v;
                    pix[i + 1] = v;
                    pix[i + 2] = v;
                }
                continue;
            }
            fill(i, label, near == CONTOUR);
        }
    }

    /**
     * Marks, in {@link #mark}, every object pixel within {@link #contourWidth} of another label along its row or
     * column ({@link #CONTOUR}) and every background pixel within the halo's width of an object (that object's class).
     * Found from the pairs of neighbours whose labels differ, one comparison a pixel per direction: every such pixel
     * lies within that width of one such pair.
     */
    private void markEdges(int width, int height) {
        int pixels = width * height;
        if (mark.length < pixels) {
            mark = new byte[pixels];
        }
        java.util.Arrays.fill(mark, 0, pixels, (byte) 0);
        int t = contourWidth(height);
        int haloWidth = Math.max(1, t / 2);
        byte[] l = lab;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width - 1; x++) {
                int p = row + x;
                if (l[p] != l[p + 1]) {
                    markAround(p, -1, x + 1, p + 1, 1, width - 1 - x, t, haloWidth);
                }
            }
        }
        for (int p = 0; p < pixels - width; p++) {
            if (l[p] != l[p + width]) {
                int y = p / width;
                markAround(p, -width, y + 1, p + width, width, height - 1 - y, t, haloWidth);
            }
        }
    }

    /**
     * Marks both sides of one pair of neighbours with different labels: from {@code a} going {@code stepA} (at most
     * {@code roomA} pixels) and from {@code b} going {@code stepB} (at most {@code roomB}).
     */
    private void markAround(int a, int stepA, int roomA, int b, int stepB, int roomB, int t, int haloWidth) {
        int labelA = lab[a] & 0xff;
        int labelB = lab[b] & 0xff;
        markSide(a, stepA, Math.min(roomA, t), labelB, haloWidth);
        markSide(b, stepB, Math.min(roomB, t), labelA, haloWidth);
    }

    private void markSide(int start, int step, int count, int across, int haloWidth) {
        for (int k = 0, q = start; k < count; k++, q += step) {
            if (lab[q] != 0) {
                mark[q] = (byte) CONTOUR;
            } else if (k < haloWidth && across != 0 && mark[q] == 0) {
                mark[q] = (byte) across;
            }
        }
    }

    /**
     * Moves the pixel toward the class colour by alpha of the way (the whole way on the contour), but at least
     * {@link #MIN_FILL_DISTANCE} ({@link #MIN_CONTOUR_DISTANCE} on the contour) in RGB distance: where
     * the blend alone stays closer than that, it moves {@code min} in the colour's direction (past the colour when the
     * picture is already near it: pink on beige becomes a stronger pink), and where the picture has the class's very
     * colour (a grey car), lighter or darker by {@code min}.
     */
    private void fill(int i, int label, boolean contour) {
        double a = contour ? 1.0 : alpha;
        double min = contour ? MIN_CONTOUR_DISTANCE : MIN_FILL_DISTANCE;
        int r = pix[i] & 0xff;
        int g = pix[i + 1] & 0xff;
        int b = pix[i + 2] & 0xff;
        int dr = colourR[label] - r;
        int dg = colourG[label] - g;
        int db = colourB[label] - b;
        double d2 = dr * dr + dg * dg + db * db;
        if (!contour && d2 >= blendEnough) { // most pixels: the plain blend, from its table
            blendPixel(i, label);
            return;
        }
        double step;
        if (a * a * d2 >= min * min) {
            step = a;
        } else if (d2 >= NO_DIRECTION * NO_DIRECTION) {
            step = min / Math.sqrt(d2);
        } else {
            double shift = (luma(r, g, b) > 127 ? -min : min) / Math.sqrt(3);
            pix[i] = clamp(r + shift);
            pix[i + 1] = clamp(g + shift);
            pix[i + 2] = clamp(b + shift);
            return;
        }
        pix[i] = clamp(r + step * dr);
        pix[i + 1] = clamp(g + step * dg);
        pix[i + 2] = clamp(b + step * db);
    }

    private static byte[] plainTable(double alpha) {
        byte[] table = new byte[256 * 3 * 256];
        for (int label = 0; label < 256; label++) {
            int colour = VocPalette.rgb(label);
            for (int ch = 0; ch < 3; ch++) {
                int c = (colour >> (16 - 8 * ch)) & 0xff;
                for (int v = 0; v < 256; v++) {
                    int out = label == 0 ? v : (int) Math.round((1 - alpha) * v + alpha * c);
                    table[(label * 3 + ch) * 256 + v] = (byte) out;
                }
            }
        }
        return table;
    }

    private static double luma(int r, int g, int b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    private static byte clamp(double v) {
        long rounded = Math.round(v);
        return (byte) (rounded < 0 ? 0 : rounded > 255 ? 255 : rounded);
    }

    private static void check(String name, ByteBuffer b, int needed) {
        if (b == null || b.limit() < needed) {
            throw new IllegalArgumentException(
                    name + " buffer must hold at least " + needed + " bytes, has " + (b == null ? "null" : b.limit()));
        }
    }
}
