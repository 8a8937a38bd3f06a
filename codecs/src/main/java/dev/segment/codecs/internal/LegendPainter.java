package dev.segment.codecs.internal;

import dev.segment.codecs.VocPalette;
import java.nio.ByteBuffer;

/**
 * Draws a legend into a packed RGB24 frame: for each class present (background excluded), a row with a box of the
 * class colour and its name in a built-in 5x7 bitmap font on a black band. The font is scaled by whole pixels with
 * the frame, {@link #scaleFor(int)}: a letter is about 3% of the frame's height (7 of 240 lines, 35 of 1080), as large
 * as a subtitle, so the legend stays readable on a full-screen video. Clipped to the frame; allocation-free.
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

    /** Lines of frame per font pixel: one font pixel per 240 lines, rounded, at least 1. */
    public static int scaleFor(int frameHeight) {
        return Math.max(1, (int) Math.round(frameHeight / 240.0));
    }

    /** Height in pixels of a letter of the legend on a frame of {@code frameHeight} lines. */
    public static int letterHeight(int frameHeight) {
        return GLYPH_H * scaleFor(frameHeight);
    }

    /** Paints rows for every label with a non-zero count (label 0 skipped). */
    public void paint(int[] counts, ByteBuffer out, int width, int height) {
        int scale = scaleFor(height);
        int rowH = (GLYPH_H + 4) * scale;
        int y = 2 * scale;
        for (int label = 1; label < counts.length && y + rowH <= height; label++) {
            if (counts[label] == 0) {
                continue;
            }
            String name = VocPalette.className(label);
            int textW = name.length() * (GLYPH_W + 1) * scale;
            int box = GLYPH_H * scale;
            int bandW = 2 * scale + box + 3 * scale + textW + 2 * scale;
            fill(out, width, height, 0, y - scale, bandW, rowH, 0x000000);
            fill(out, width, height, 2 * scale, y + scale, box, box, VocPalette.rgb(label));
            int x = 2 * scale + box + 3 * scale;
            for (int i = 0; i < name.length(); i++) {
                glyph(out, width, height, name.charAt(i), x, y + scale, scale);
                x += (GLYPH_W + 1) * scale;
            }
            y += rowH;
        }
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
