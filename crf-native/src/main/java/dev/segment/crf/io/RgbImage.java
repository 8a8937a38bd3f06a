package dev.segment.crf.io;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An RGB24 image in a direct buffer, R G B per pixel, rows top to bottom.
 *
 * @param width columns, &gt; 0
 * @param height rows, &gt; 0
 * @param rgb width*height*3 bytes from position 0
 */
public record RgbImage(int width, int height, ByteBuffer rgb) {
    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.capacity() < (long) width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.capacity() + " bytes, a " + width + "x" + height
                    + " image needs " + width * height * 3);
        }
    }

    public int pixels() {
        return width * height;
    }
}
