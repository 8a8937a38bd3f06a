package dev.segment.codecs.internal;

import dev.segment.codecs.VocPalette;
import java.nio.ByteBuffer;

/**
 * Draws a legend into a packed RGB24 frame: for each class present (background excluded), a row with a box of the
 * class colour and its name in a built-in 5x7 bitmap font on a darkened band. The font is scaled by whole pixels with
 * the frame, {@link #scaleFor(int)}: a letter is about 3% of the frame's height and at least 14 pixels, as large as a
 * subtitle, so the legend stays readable on a full-screen video and on a small one. Clipped to the frame; allocates
 * nothing.
 */
public final class LegendPainter {
    private static final int GLYPH_W = 5;
    private static final int GLYPH_H = 7;
    /** Lowercase a..z, one byte per column, bit 0 = top row (the classic 5x7 LCD font). */
    private static final int[] LOWER = {
        0x20, 0x54, 0x54, 0x54, 0x78, 0x7F, 0x48, 0x44, 0x44, 0x38, 0x38, 0x44, 0x44, 0x44, 0x20,
        0x38, 0x44, 0x44, 0x48, 0x7F, 0x38, 0x54, 0x54, 0x54, 0x18, 0x08, 0x7E, 0x09, 0x01, 0x02,
        0x0C, 0x52, 0x52, 0x52, 0x3E, 0x7F, 0x08, 0x04, 0x04, 0x78, 0x00, 0x44, 0x7D, 0x40, 0x00,
        0x20, 0x40, 0x44, 0x3D, 0x00, 0x7F, 0x10, 0x28, 0x44, 0x00, 0x00, 0x41, 0x7F, 0x40, 0x00,
        0x7C, 0x04, 0x18, 0x04, 0x78, 0x7C, 0x08, 0x04, 0x04, 0x78, 0x38, 0x44, 0x44, 0x44, 0x38,
        0x7C, 0x14, 0x14, 0x14, 0x08, 0x08, 0x14, 0x14, 0x18, 0x7C, 0x7C, 0x08, 0x04, 0x04, 0x08,
        0x48, 0x54, 0x54, 0x54, 0x20, 0x04, 0x3F, 0x44, 0x40, 0x20, 0x3C, 0x40, 0x40, 0x20, 0x7C,
        0x1C, 0x20, 0x40, 0x20, 0x1C, 0x3C, 0x40, 0x30, 0x40, 0x3C, 0x44, 0x28, 0x10, 0x28, 0x44,
        0x0C, 0x50, 0x50, 0x50, 0x3C, 0x44, 0x64, 0x54, 0x4C, 0x44,
    };

    /** Least height of a letter in pixels: smaller text is hard to read on any screen. */
    public static final int MIN_LETTER_PX = 14;
    /** Height of a letter as a share of the frame's height: a subtitle line. */
    private static final double LETTER_SHARE = 0.03;

    /** The corner the legend is in: 0 top left, 1 top right, 2 bottom left, 3 bottom right. */
    private int corner;
    /** Labelled pixels (every other row and column) under the band in each corner, this frame. */
    private final long[] covered = new long[4];

    /**
     * Frame pixels per font pixel: letters about 3% of the frame's height (35 px at 1080 lines) and never under
     * {@link #MIN_LETTER_PX} (two font pixels a font pixel row at 480 lines and below).
     */
    public static int scaleFor(int frameHeight) {
        int minimum = (MIN_LETTER_PX + GLYPH_H - 1) / GLYPH_H;
        return Math.max(minimum, (int) Math.round(frameHeight * LETTER_SHARE / GLYPH_H));
    }

    /** Height in pixels of a letter of the legend on a frame of {@code frameHeight} lines. */
    public static int letterHeight(int frameHeight) {
        return textHeight(scaleFor(frameHeight));
    }

    /** Height in pixels of text drawn at {@code scale}. */
    public static int textHeight(int scale) {
        return GLYPH_H * scale;
    }

    /** Width in pixels of {@code text} drawn at {@code scale}. */
    public static int textWidth(String text, int scale) {
        return text.length() * (GLYPH_W + 1) * scale - scale;
    }

    /**
     * Paints a row for every label with a non-zero count (label 0 skipped) on a darkened band, in the corner of the
     * frame whose band would cover the fewest labelled pixels. The legend moves only when another corner hides less
     * than half as much, so it does not jump between corners from frame to frame.
     */
    public void paint(int[] counts, ByteBuffer labels, ByteBuffer out, int width, int height) {
        int scale = scaleFor(height);
        int rowH = (GLYPH_H + 4) * scale;
        int box = textHeight(scale);
        int rows = 0;
        int bandW = 0;
        for (int label = 1; label < counts.length; label++) {
            if (counts[label] != 0) {
                rows++;
                bandW = Math.max(
                        bandW, 2 * scale + box + 3 * scale + textWidth(VocPalette.className(label), scale) + 2 * scale);
            }
        }
        if (rows == 0) {
            return;
        }
        rows = Math.min(rows, Math.max(1, (height - scale) / rowH));
        int bandH = rows * rowH + scale;
        corner = quietestCorner(labels, width, height, bandW, bandH);
        int x0 = (corner & 1) == 0 ? 0 : Math.max(0, width - bandW);
        int y0 = (corner & 2) == 0 ? 0 : Math.max(0, height - bandH);
        darken(out, width, height, x0, y0, bandW, bandH);
        int y = y0 + scale;
        int drawn = 0;
        for (int label = 1; label < counts.length && drawn < rows; label++) {
            if (counts[label] == 0) {
                continue;
            }
            fill(out, width, height, x0 + 2 * scale, y + 2 * scale, box, box, VocPalette.rgb(label));
            text(
                    out,
                    width,
                    height,
                    VocPalette.className(label),
                    x0 + 2 * scale + box + 3 * scale,
                    y + 2 * scale,
                    scale);
            y += rowH;
            drawn++;
        }
    }

    /** Draws {@code text} (lowercase a..z; other characters leave a gap) in white with its top left at x0, y0. */
    public static void text(ByteBuffer out, int width, int height, String text, int x0, int y0, int scale) {
        int x = x0;
        for (int i = 0; i < text.length(); i++) {
            glyph(out, width, height, text.charAt(i), x, y0, scale);
            x += (GLYPH_W + 1) * scale;
        }
    }

    /** Darkens a rectangle to a third of its brightness: text on it reads, the picture under it still shows. */
    public static void darken(ByteBuffer out, int width, int height, int x0, int y0, int w, int h) {
        for (int y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
            for (int x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
                int i = (y * width + x) * 3;
                out.put(i, (byte) ((out.get(i) & 0xff) / 3))
                        .put(i + 1, (byte) ((out.get(i + 1) & 0xff) / 3))
                        .put(i + 2, (byte) ((out.get(i + 2) & 0xff) / 3));
            }
        }
    }

    private int quietestCorner(ByteBuffer labels, int width, int height, int bandW, int bandH) {
        for (int c = 0; c < 4; c++) {
            int x0 = (c & 1) == 0 ? 0 : Math.max(0, width - bandW);
            int y0 = (c & 2) == 0 ? 0 : Math.max(0, height - bandH);
            long n = 0;
            for (int y = y0; y < Math.min(height, y0 + bandH); y += 2) {
                for (int x = x0; x < Math.min(width, x0 + bandW); x += 2) {
                    if (labels.get(y * width + x) != 0) {
                        n++;
                    }
                }
            }
            covered[c] = n;
        }
        int best = 0;
        for (int c = 1; c < 4; c++) {
            if (covered[c] < covered[best]) {
                best = c;
            }
        }
        return covered[best] * 2 < covered[corner] ? best : corner;
    }

    private static void glyph(ByteBuffer out, int width, int height, char c, int x0, int y0, int scale) {
        if (c < 'a' || c > 'z') {
            return;
        }
        int base = (c - 'a') * GLYPH_W;
        for (int col = 0; col < GLYPH_W; col++) {
            int bits = LOWER[base + col];
            for (int row = 0; row < GLYPH_H; row++) {
                if ((bits >> row & 1) != 0) {
                    fill(out, width, height, x0 + col * scale, y0 + row * scale, scale, scale, 0xFFFFFF);
                }
            }
        }
    }

    private static void fill(ByteBuffer out, int width, int height, int x0, int y0, int w, int h, int rgb) {
        byte r = (byte) (rgb >> 16);
        byte g = (byte) (rgb >> 8);
        byte b = (byte) rgb;
        for (int y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
            for (int x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
                int i = (y * width + x) * 3;
                out.put(i, r).put(i + 1, g).put(i + 2, b);
            }
        }
    }
}
