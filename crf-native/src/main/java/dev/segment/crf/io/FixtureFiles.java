package dev.segment.crf.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file formats of the DenseCRF fixtures (../shared/data/crf): binary PPM images, little-endian float32 planes
 * [C][H][W], uint8 label images [H][W]. Planes are converted to and from the pixel-major [H][W][C] layout the CRF
 * uses.
 */
public final class FixtureFiles {
    private FixtureFiles() {}

    /** Reads a binary P6 PPM with maxval 255. */
    public static RgbImage readPpm(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int[] pos = {0};
        String magic = token(bytes, pos, file);
        if (!magic.equals("P6")) {
            throw new IOException(file + ": not a binary PPM (magic '" + magic + "', expected P6)");
        }
        int width = number(bytes, pos, file, "width");
        int height = number(bytes, pos, file, "height");
        int max = number(bytes, pos, file, "maxval");
        if (max != 255) {
            throw new IOException(file + ": maxval " + max + ", only 255 is supported");
        }
        int start = pos[0] + 1; // one whitespace byte after maxval
        long need = (long) width * height * 3;
        if (bytes.length - start < need) {
            throw new IOException(
                    file + ": " + (bytes.length - start) + " pixel bytes, " + width + "x" + height + " needs " + need);
        }
        ByteBuffer rgb = ByteBuffer.allocateDirect((int) need);
        rgb.put(bytes, start, (int) need).flip();
        return new RgbImage(width, height, rgb);
    }

    /** Writes a binary P6 PPM. */
    public static void writePpm(Path file, RgbImage image) throws IOException {
        byte[] header = ("P6\n" + image.width() + " " + image.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + image.pixels() * 3];
        System.arraycopy(header, 0, out, 0, header.length);
        image.rgb().duplicate().position(0).get(out, header.length, image.pixels() * 3);
        Files.write(file, out);
    }

    /**
     * Reads float32 little-endian [C][H][W] and returns it pixel-major [H][W][C] in a direct native-order buffer.
     */
    public static FloatBuffer readPlanesAsHwc(Path file, int classes, int pixels) throws IOException {
        long size = Files.size(file);
        long expected = 4L * classes * pixels;
        if (size != expected) {
            throw new IOException(file + ": " + size + " bytes, expected " + expected + " (" + classes + " classes x "
                    + pixels + " pixels x 4)");
        }
        FloatBuffer chw = ByteBuffer.wrap(Files.readAllBytes(file))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        FloatBuffer hwc = directFloats(classes * pixels);
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < pixels; i++) {
                hwc.put(i * classes + c, chw.get(c * pixels + i));
            }
        }
        return hwc;
    }

    /** Writes pixel-major [H][W][C] floats as float32 little-endian [C][H][W]. */
    public static void writeHwcAsPlanes(Path file, FloatBuffer hwc, int classes, int pixels) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(4 * classes * pixels).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < pixels; i++) {
                out.putFloat(hwc.get(i * classes + c));
            }
        }
        Files.write(file, out.array());
    }

    /** Reads a uint8 [H][W] label image of exactly `pixels` bytes. */
    public static byte[] readLabels(Path file, int pixels) throws IOException {
        byte[] labels = Files.readAllBytes(file);
        if (labels.length != pixels) {
            throw new IOException(file + ": " + labels.length + " bytes, expected " + pixels + " labels");
        }
        return labels;
    }

    /** Writes width*height labels from the buffer's position 0. */
    public static void writeLabels(Path file, ByteBuffer labels, int pixels) throws IOException {
        byte[] out = new byte[pixels];
        labels.duplicate().position(0).get(out);
        Files.write(file, out);
    }

    /** The unary -log(max(p, 1e-5)) computed in float, as the reference derives it from probabilities. */
    public static FloatBuffer unaryOf(FloatBuffer probabilities) {
        FloatBuffer u = directFloats(probabilities.capacity());
        for (int i = 0; i < probabilities.capacity(); i++) {
            u.put(i, (float) -Math.log(Math.max(probabilities.get(i), 1e-5f)));
        }
        return u;
    }

    /** A direct float buffer in native byte order, as the CRF requires. */
    public static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(n, 4))
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    private static int number(byte[] b, int[] pos, Path file, String what) throws IOException {
        String t = token(b, pos, file);
        try {
            int v = Integer.parseInt(t);
            if (v <= 0) {
                throw new IOException(file + ": PPM " + what + " " + v + " must be positive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": PPM " + what + " '" + t + "' is not a number", e);
        }
    }

    private static String token(byte[] b, int[] pos, Path file) throws IOException {
        int i = pos[0];
        while (true) {
            while (i < b.length && Character.isWhitespace(b[i])) {
                i++;
            }
            if (i < b.length && b[i] == '#') {
                while (i < b.length && b[i] != '\n') {
                    i++;
                }
            } else {
                break;
            }
        }
        int s = i;
        while (i < b.length && !Character.isWhitespace(b[i])) {
            i++;
        }
        if (s == i) {
            throw new IOException(file + ": truncated PPM header");
        }
        pos[0] = i;
        return new String(b, s, i - s, StandardCharsets.US_ASCII);
    }
}
