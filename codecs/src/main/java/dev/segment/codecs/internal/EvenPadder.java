package dev.segment.codecs.internal;

import java.nio.ByteBuffer;

/**
 * H.264 in yuv420p needs even frame sizes: copies an odd-sized RGB24 picture into a buffer one column and/or row
 * larger, repeating the last column and row. Even sizes pass through untouched.
 */
public final class EvenPadder {
    private final int width;
    private final int height;
    private final int paddedWidth;
    private final int paddedHeight;
    private final ByteBuffer padded;

    public EvenPadder(int width, int height) {
        this.width = width;
        this.height = height;
        this.paddedWidth = width + (width & 1);
        this.paddedHeight = height + (height & 1);
        this.padded = needed() ? ByteBuffer.allocateDirect(paddedWidth * paddedHeight * 3) : null;
    }

    public boolean needed() {
        return paddedWidth != width || paddedHeight != height;
    }

    public int paddedWidth() {
        return paddedWidth;
    }

    public int paddedHeight() {
        return paddedHeight;
    }

    /** Returns {@code rgb} itself for even sizes, else the padded copy (reused between calls). */
    public ByteBuffer pad(ByteBuffer rgb) {
        if (!needed()) {
            return rgb;
        }
        int srcRow = width * 3;
        int dstRow = paddedWidth * 3;
        for (int y = 0; y < paddedHeight; y++) {
            int sy = Math.min(y, height - 1);
            int s = sy * srcRow;
            int d = y * dstRow;
            for (int i = 0; i < srcRow; i++) {
                padded.put(d + i, rgb.get(s + i));
            }
            if (paddedWidth != width) {
                int last = s + srcRow - 3;
                padded.put(d + srcRow, rgb.get(last)).put(d + srcRow + 1, rgb.get(last + 1))
                        .put(d + srcRow + 2, rgb.get(last + 2));
            }
        }
        return padded.clear();
    }
}
