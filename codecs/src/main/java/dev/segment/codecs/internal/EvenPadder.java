package dev.segment.codecs.internal;

import java.nio.ByteBuffer;

/**
 * H.264 in yuv420p needs even frame sizes: copies an odd-sized RGB24 picture into a buffer one column and/or row
 * larger, repeating the last column and row. Even sizes pass through untouched when the buffer has {@link #TAIL}
 * readable bytes after the picture; otherwise they are copied into one that has.
 *
 * <p>Why the tail: FFmpeg's swscale converts RGB24 rows with SIMD loads that may read up to a vector past the last
 * pixel. A picture that ends exactly at the end of its allocation (854x480: rows of 2562 bytes) then reads into the next
 * page, and where that page is unmapped the process dies in {@code sws_scale} (seen: SIGSEGV, SEGV_ACCERR at a
 * page-aligned address, on the output thread).
 */
public final class EvenPadder {
    /** Readable bytes swscale may touch after the last pixel (FFmpeg's AV_INPUT_BUFFER_PADDING_SIZE). */
    public static final int TAIL = 64;

    private final int width;
    private final int height;
    private final int paddedWidth;
    private final int paddedHeight;
    private ByteBuffer padded;

    public EvenPadder(int width, int height) {
        this.width = width;
        this.height = height;
        this.paddedWidth = width + (width & 1);
        this.paddedHeight = height + (height & 1);
        this.padded = needed() ? ByteBuffer.allocateDirect(paddedWidth * paddedHeight * 3 + TAIL) : null;
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

    /**
     * Returns {@code rgb} itself for even sizes with a readable tail, else the padded copy (reused between calls).
     * {@code rgb} holds the picture from index 0 to its limit.
     */
    public ByteBuffer pad(ByteBuffer rgb) {
        if (!needed()) {
            if (rgb.capacity() - rgb.limit() >= TAIL) {
                return rgb;
            }
            int bytes = width * height * 3;
            if (padded == null) {
                padded = ByteBuffer.allocateDirect(bytes + TAIL);
            }
            padded.clear();
            padded.put(0, rgb, 0, bytes);
            return padded.limit(bytes);
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
                padded.put(d + srcRow, rgb.get(last))
                        .put(d + srcRow + 1, rgb.get(last + 1))
                        .put(d + srcRow + 2, rgb.get(last + 2));
            }
        }
        return padded.clear();
    }
}
