package dev.segment.engine.deeplab;

import dev.segment.testing.Ffmpeg;
import dev.segment.testing.Shared;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Real data from ../shared ({@link Shared}): images, expected labels and video frames decoded with the ffmpeg CLI. */
final class TestData {

    private TestData() {}

    static Path model() {
        return Shared.model();
    }

    static Path video() {
        return Shared.peopleVideo();
    }

    static Path image(String relative) {
        return Shared.dir().resolve("data").resolve(relative);
    }

    /** A decoded image as packed RGB24 (direct buffer), with its size. */
    record Frame(int width, int height, ByteBuffer rgb) {}

    static Frame readRgb(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("ImageIO cannot decode " + file);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        ByteBuffer rgb = ByteBuffer.allocateDirect(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                rgb.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
            }
        }
        return new Frame(w, h, rgb.clear());
    }

    /** Class ids of a VOC palette PNG (the raster holds palette indices). */
    static byte[] readLabels(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
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

    /** One frame of a video at its own size, decoded to rgb24 by the ffmpeg CLI. */
    static Frame videoFrame(Path video, double seconds, int width, int height)
            throws IOException, InterruptedException {
        return videoFrame(video, seconds, "null", width, height);
    }

    /** One frame of a video through an ffmpeg filter (e.g. "scale=1920:1080", "transpose=1"), as rgb24. */
    static Frame videoFrame(Path video, double seconds, String filter, int width, int height)
            throws IOException, InterruptedException {
        byte[] bytes = Ffmpeg.run(List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-ss",
                Double.toString(seconds),
                "-i",
                video.toString(),
                "-frames:v",
                "1",
                "-vf",
                filter,
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-"));
        if (bytes.length != width * height * 3) {
            throw new IOException(
                    bytes.length + " bytes from " + video + " at " + seconds + " s, expected " + width * height * 3);
        }
        return new Frame(
                width,
                height,
                ByteBuffer.allocateDirect(bytes.length).put(bytes).clear());
    }

    /** Fraction of equal bytes. */
    static double agreement(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " labels");
        }
        long same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.capacity()];
        buffer.get(0, out);
        return out;
    }
}
