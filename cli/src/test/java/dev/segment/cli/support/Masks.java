package dev.segment.cli.support;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The label masks {@code segment convert --masks DIR} writes: VOC palette PNGs, pixel value = class id. */
public final class Masks {
    /** PASCAL VOC class id of "person". */
    public static final int PERSON = 15;

    private Masks() {}

    public static Path file(Path dir, long frame) {
        return dir.resolve(String.format("frame_%06d.png", frame));
    }

    /** Class ids, one per pixel, row-major; fails unless the PNG is an indexed image of the given size. */
    public static byte[] read(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new IOException("not a PNG: " + png);
        }
        if (!(image.getColorModel() instanceof IndexColorModel)) {
            throw new IOException(png + " is not a palette PNG");
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IOException(
                    png + " is " + image.getWidth() + "x" + image.getHeight() + ", expected " + width + "x" + height);
        }
        Raster raster = image.getRaster();
        byte[] labels = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                labels[y * width + x] = (byte) raster.getSample(x, y, 0);
            }
        }
        return labels;
    }

    /** Pixels per class id (256 entries). */
    public static long[] histogram(byte[] labels) {
        long[] counts = new long[256];
        for (byte b : labels) {
            counts[b & 0xff]++;
        }
        return counts;
    }
}
