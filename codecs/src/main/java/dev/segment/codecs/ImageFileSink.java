package dev.segment.codecs;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the overlay of frame {@code i} to the {@code i}-th of a list of image files (PNG, JPEG at quality 0.92, or
 * BMP, by each file's extension), for photos and folders of photos. Each file is written under a temporary name and
 * renamed, so a killed process never leaves a truncated image; missing parent directories are created.
 */
public final class ImageFileSink implements FrameSink {
    private static final float JPEG_QUALITY = 0.92f;

    private final List<Path> targets;
    private BufferedImage image;
    private boolean opened;
    private boolean closed;
    private long written;

    /** @param targets one file per frame, in frame order; extensions .png, .jpg, .jpeg or .bmp */
    public ImageFileSink(List<Path> targets) {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target file is needed");
        }
        for (Path t : targets) {
            if (t == null || formatOf(t) == null) {
                throw new IllegalArgumentException("image outputs must end in .png, .jpg, .jpeg or .bmp, got " + t);
            }
        }
        this.targets = List.copyOf(targets);
    }

    /** The ImageIO format name for a file's extension ("png", "jpeg", "bmp"), or null when it is not one of them. */
    public static String formatOf(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "jpeg";
        }
        return name.endsWith(".bmp") ? "bmp" : null;
    }

    @Override
    public void open(VideoInfo info) throws IOException {
        if (closed) {
            throw new IllegalStateException("open() after close()");
        }
        for (Path t : targets) {
            Path parent = t.toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new SinkException(t, "cannot create the directory " + parent + ": " + e, e);
            }
            if (!Files.isWritable(parent)) {
                throw new SinkException(t, "the directory " + parent + " is not writable");
            }
        }
        opened = true;
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (!opened || closed) {
            throw new IllegalStateException(closed ? "write() after close()" : "write() before open()");
        }
        if (frame.index() < 0 || frame.index() >= targets.size()) {
            throw new IllegalStateException(
                    "frame " + frame.index() + " has no target file (" + targets.size() + " given)");
        }
        Path target = targets.get((int) frame.index());
        int w = frame.width();
        int h = frame.height();
        if (image == null || image.getWidth() != w || image.getHeight() != h) {
            image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ByteBuffer rgb = frame.overlay();
        for (int i = 0; i < w * h * 3; i += 3) {
            bgr[i] = rgb.get(i + 2);
            bgr[i + 1] = rgb.get(i + 1);
            bgr[i + 2] = rgb.get(i);
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            writeImage(image, formatOf(target), tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e instanceof SinkException se ? se : new SinkException(target, "cannot write: " + e, e);
        }
        written++;
    }

    private static void writeImage(BufferedImage image, String format, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new SinkException(file, "no " + format + " writer in this JVM");
        }
        ImageWriter writer = writers.next();
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    public long framesWritten() {
        return written;
    }

    @Override
    public void close() {
        closed = true;
        image = null;
    }
}
