package dev.segment.codecs.preview;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/** Packed RGB24 buffers to Java images and JPEG bytes, reusing one image per size. Not thread-safe. */
public final class RgbImages {
    private BufferedImage image;
    private final ByteArrayOutputStream jpeg = new ByteArrayOutputStream(64 * 1024);

    /** The image last filled by {@link #toImage}, or null. */
    BufferedImage current() {
        return image;
    }

    /** Copies {@code rgb} (width*height*3, row-major) into a reused TYPE_3BYTE_BGR image. */
    public BufferedImage toImage(ByteBuffer rgb, int width, int height) {
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer src = rgb.duplicate();
        int n = width * height * 3;
        if (src.remaining() < n) {
            throw new IllegalArgumentException(
                    "RGB buffer holds " + src.remaining() + " bytes, " + width + "x" + height + " needs " + n);
        }
        int base = src.position();
        for (int i = 0; i < n; i += 3) {
            bgr[i] = src.get(base + i + 2);
            bgr[i + 1] = src.get(base + i + 1);
            bgr[i + 2] = src.get(base + i);
        }
        return image;
    }

    /** The image as baseline JPEG bytes (ImageIO's default quality, 0.75). */
    public byte[] toJpeg(BufferedImage img) throws IOException {
        jpeg.reset();
        if (!ImageIO.write(img, "jpg", jpeg)) {
            throw new IOException("no JPEG writer in this JRE");
        }
        return jpeg.toByteArray();
    }
}
