package dev.segment.codecs;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongFunction;
import javax.imageio.ImageIO;

/**
 * Writes each frame's labels as a VOC-style PNG: 8-bit indexed, pixel value = class id, the 256-entry VOC palette,
 * named {@code frame_000000.png} after the input's frame number in one directory (created if needed). Each
 * file is written under a temporary name and renamed, so a killed process never leaves a truncated PNG.
 */
public final class MaskPngSink implements FrameSink {
    private static final IndexColorModel PALETTE = VocPalette.colorModel();

    private final Path directory;
    private final LongFunction<String> names;
    private BufferedImage image;
    private byte[] pixels;
    private boolean opened;
    private boolean closed;
    private long written;

    public MaskPngSink(Path directory) {
        this(directory, 0);
    }

    /**
     * Masks named after the input's frame numbers when the output starts at input frame {@code firstFrame} (a
     * conversion from {@code --start N} writes {@code frame_N.png} first).
     */
    public MaskPngSink(Path directory, long firstFrame) {
        this(directory, index -> String.format("frame_%06d.png", firstFrame + index));
    }

    /**
     * Masks named by {@code names} (frame index to file name, e.g. the photo's own name for a folder of photos).
     */
    public MaskPngSink(Path directory, LongFunction<String> names) {
        if (directory == null || names == null) {
            throw new IllegalArgumentException("directory and names must not be null");
        }
        this.directory = directory.toAbsolutePath();
        this.names = names;
    }

    /** The file a frame index is written to. */
    public Path fileFor(long index) {
        return directory.resolve(names.apply(index));
    }

    @Override
    public void open(VideoInfo info) throws IOException {
        if (closed) {
            throw new IllegalStateException(directory + ": open() after close()");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SinkException(directory, "cannot create the mask directory: " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new SinkException(directory, "the mask directory is not writable");
        }
        opened = true;
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (!opened || closed) {
            throw new IllegalStateException(
                    directory + (closed ? ": write() after close()" : ": write() before open()"));
        }
        int w = frame.width();
        int h = frame.height();
        if (image == null || image.getWidth() != w || image.getHeight() != h) {
            image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, PALETTE);
            pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        }
        ByteBuffer labels = frame.labels();
        if (labels.limit() < w * h) {
            throw new SinkException(fileFor(frame.index()), "labels hold " + labels.limit() + " bytes, need " + w * h);
        }
        labels.duplicate().position(0).get(pixels, 0, w * h);
        Path target = fileFor(frame.index());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new SinkException(target, "no PNG writer in this JVM");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e instanceof SinkException se ? se : new SinkException(target, "cannot write: " + e, e);
        }
        written++;
    }

    public long framesWritten() {
        return written;
    }

    @Override
    public void close() {
        closed = true;
        image = null;
        pixels = null;
    }
}
