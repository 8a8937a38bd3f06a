package dev.segment.codecs;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Still images as a stream of frames, one per file in the order given, so that photos and folders go through the
 * same pipeline, model and CRF as video. Read with the JDK's ImageIO (JPEG, PNG, BMP, GIF, TIFF, no extra native
 * code; FFmpeg's image demuxer would add nothing for these formats). EXIF orientation is not applied.
 *
 * <p>Every image is a discontinuity: its {@link VideoFrame#epoch() epoch} differs from the previous image's, so the
 * CRF never warm-starts from an unrelated photo. Images may differ in size. Image {@code i} has presentation time
 * {@code i} seconds (1 fps). A file that cannot be read fails the run with an error naming it.
 */
public final class ImageSequenceSource implements FrameSource {
    private final List<Path> files;
    private int next;
    private volatile boolean closed;
    private int[] row = new int[0];

    /** @param files the images, at least one, read in this order */
    public ImageSequenceSource(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("at least one image is needed");
        }
        for (Path f : files) {
            if (f == null) {
                throw new IllegalArgumentException("image paths must not be null: " + files);
            }
        }
        this.files = List.copyOf(files);
    }

    /** File name suffixes (lower case, no dot) this JVM can read as images: jpg, jpeg, png, bmp, gif, tif, tiff... */
    public static Set<String> readableSuffixes() {
        Set<String> s = new TreeSet<>();
        for (String suffix : ImageIO.getReaderFileSuffixes()) {
            s.add(suffix.toLowerCase(Locale.ROOT));
        }
        s.remove("wbmp"); // a 1-bit phone format: accepting *.wbmp would only surprise
        return s;
    }

    /** True when {@code name} ends in a suffix of {@link #readableSuffixes()} (case-insensitive). */
    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && readableSuffixes().contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public List<Path> files() {
        return files;
    }

    /** Size of the first image (read from its header), the number of images, 1 fps, not live. */
    @Override
    public VideoInfo open() throws IOException {
        Path first = files.get(0);
        int[] size = headerSize(first);
        String description =
                files.size() == 1 ? first.toString() : files.size() + " images (" + first.getFileName() + " ...)";
        return new VideoInfo(
                size[0],
                size[1],
                1.0,
                files.size(),
                0,
                0,
                false,
                description,
                "image",
                0,
                files.size() == 1 ? first : null);
    }

    @Override
    public boolean read(VideoFrame frame) throws IOException {
        if (closed || next >= files.size()) {
            return false;
        }
        Path file = files.get(next);
        BufferedImage image = decode(file);
        copyRgb(image, frame.resize(image.getWidth(), image.getHeight()));
        frame.setPtsMicros(next * 1_000_000L);
        frame.setEpoch(next);
        frame.setCaptureNanos(System.nanoTime());
        next++;
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    private static int[] headerSize(Path file) throws IOException {
        checkReadable(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw notAnImage(file);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (SourceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SourceException(SourceException.Kind.DECODE, file.toString(), "cannot read the image: " + e, e);
        }
    }

    private static BufferedImage decode(Path file) throws IOException {
        checkReadable(file);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // ImageIO's JPEG reader throws IIOException for CMYK and damaged files
            throw new SourceException(
                    SourceException.Kind.DECODE,
                    file.toString(),
                    "cannot decode the image: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                    e);
        }
        if (image == null) {
            throw notAnImage(file);
        }
        return image;
    }

    private static void checkReadable(Path file) throws SourceException {
        if (!Files.exists(file)) {
            throw new SourceException(SourceException.Kind.NOT_FOUND, file.toString(), "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new SourceException(SourceException.Kind.NOT_VIDEO, file.toString(), "is a directory, not an image");
        }
        if (!Files.isReadable(file)) {
            throw new SourceException(SourceException.Kind.UNREADABLE, file.toString(), "permission denied");
        }
    }

    private static SourceException notAnImage(Path file) {
        return new SourceException(
                SourceException.Kind.NOT_VIDEO,
                file.toString(),
                "not an image this program can" + " read (readable: " + String.join(", ", readableSuffixes()) + ")");
    }

    /** Packed RGB24 from any colour model; the common 3-byte BGR layout of JPEG and PNG without the per-pixel call. */
    private void copyRgb(BufferedImage image, ByteBuffer out) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h * 3; i += 3) {
                out.put(i, bgr[i + 2]).put(i + 1, bgr[i + 1]).put(i + 2, bgr[i]);
            }
            return;
        }
        if (image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
            // getRGB would treat the grey levels as linear light and brighten them (200 -> 229): a grey photo's
            // stored levels are already gamma-encoded, as an RGB photo's are
            java.awt.image.Raster raster = image.getRaster();
            int shift = Math.max(0, image.getColorModel().getComponentSize(0) - 8);
            for (int y = 0; y < h; y++) {
                for (int x = 0, i = y * w * 3; x < w; x++, i += 3) {
                    byte v = (byte) (raster.getSample(x, y, 0) >> shift);
                    out.put(i, v).put(i + 1, v).put(i + 2, v);
                }
            }
            return;
        }
        if (row.length < w) {
            row = new int[w];
        }
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0, i = y * w * 3; x < w; x++, i += 3) {
                int argb = row[x];
                out.put(i, (byte) (argb >> 16)).put(i + 1, (byte) (argb >> 8)).put(i + 2, (byte) argb);
            }
        }
    }
}
