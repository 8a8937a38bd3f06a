package dev.segment.codecs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Plays another source again and again: when it ends, it is closed and a fresh one (from the {@link Factory}) is
 * opened in its place, {@code plays} times in all or forever. Made for soak runs, where a short clip stands in for a
 * camera that never stops.
 *
 * <p>What the caller sees across restarts:
 * <ul>
 *   <li>Presentation times keep increasing: each play is shifted to start one frame interval (from the first play's
 *       frame rate) after the previous play's last frame, and a time that would not increase is bumped by 1 µs.</li>
 *   <li>{@link VideoFrame#epoch()} is the number of restarts so far (0 during the first play): temporal state such
 *       as the CRF warm start is reset at each restart. The inner source's own epochs are overwritten.</li>
 *   <li>{@link #open()} reports the first play's {@link VideoInfo}, with the frame count multiplied by the plays
 *       (-1 when looping forever or when the inner count is unknown).</li>
 * </ul>
 * A play that delivers no frame at all ends the stream (an empty input would otherwise spin). {@link #close()} from
 * another thread unblocks a pending read, which then returns false; it is safe to call twice.
 */
public final class LoopingSource implements FrameSource {
    /** Makes a fresh, unopened source for each play. */
    @FunctionalInterface
    public interface Factory {
        FrameSource create() throws IOException;
    }

    /** {@code plays} value meaning "loop until closed". */
    public static final long FOREVER = -1;

    private final Factory factory;
    private final long plays;
    private final Object swap = new Object();
    private volatile boolean closed;
    private FrameSource current;
    private VideoInfo info;
    private long frameMicros;
    private long ptsOffset;
    private long lastPts = Long.MIN_VALUE;
    private int restarts;
    private long framesThisPlay;
    private long frames;

    /** Loops a local file (or URL) read by {@link FfmpegSource} with {@code options}. */
    public LoopingSource(Path file, SourceOptions options, long plays) {
        this(ffmpeg(file, options), plays);
    }

    private static Factory ffmpeg(Path file, SourceOptions options) {
        Objects.requireNonNull(file, "file");
        if (options == null) {
            throw new IllegalArgumentException("options must not be null (use SourceOptions.forFile())");
        }
        String path = file.toString();
        return () -> new FfmpegSource(path, options);
    }

    /** Loops the sources made by {@code factory}: {@code plays} >= 1 times in all, or {@link #FOREVER}. */
    public LoopingSource(Factory factory, long plays) {
        this.factory = Objects.requireNonNull(factory, "factory");
        if (plays < 1 && plays != FOREVER) {
            throw new IllegalArgumentException("plays must be at least 1 or LoopingSource.FOREVER (-1), got " + plays);
        }
        this.plays = plays;
    }

    @Override
    public VideoInfo open() throws IOException {
        if (info != null) {
            throw new IllegalStateException(this + ": open() called twice");
        }
        if (closed) {
            throw new IllegalStateException(this + ": open() after close()");
        }
        VideoInfo first = replace(factory.create());
        frameMicros = Math.max(1, Math.round(1e6 / first.frameRate()));
        long count = plays == FOREVER || first.frameCount() < 0 ? -1 : Math.multiplyExact(first.frameCount(), plays);
        String looped = plays == FOREVER ? " (looped forever)" : " (played " + plays + " times)";
        info = new VideoInfo(
                first.width(),
                first.height(),
                first.frameRate(),
                count,
                first.audioChannels(),
                first.sampleRate(),
                first.live(),
                first.description() + looped,
                first.codecName(),
                first.rotation(),
                first.sourceFile(),
                first.variableRate());
        return info;
    }

    @Override
    public boolean read(VideoFrame frame) throws IOException {
        if (info == null) {
            throw new IllegalStateException(this + ": read() before open()");
        }
        while (!closed) {
            FrameSource src;
            synchronized (swap) {
                src = current;
            }
            if (src == null) {
                return false;
            }
            if (src.read(frame)) {
                stamp(frame);
                return true;
            }
            if (closed || framesThisPlay == 0 || (plays != FOREVER && restarts + 1 >= plays)) {
                return false;
            }
            restarts++;
            ptsOffset = lastPts + frameMicros;
            framesThisPlay = 0;
            replace(factory.create());
        }
        return false;
    }

    private void stamp(VideoFrame frame) {
        long pts = ptsOffset + frame.ptsMicros();
        if (lastPts != Long.MIN_VALUE && pts <= lastPts) {
            pts = lastPts + 1;
        }
        lastPts = pts;
        frame.setPtsMicros(pts);
        frame.setEpoch(restarts);
        framesThisPlay++;
        frames++;
    }

    /**
     * Closes the current source and opens {@code next} in its place. A {@link #close()} racing with this leaves no
     * source open: either close() sees {@code next} as current and closes it, or this sees {@code closed} afterwards.
     */
    private VideoInfo replace(FrameSource next) throws IOException {
        FrameSource old;
        synchronized (swap) {
            old = current;
            current = null;
        }
        if (old != null) {
            old.close();
        }
        VideoInfo opened;
        try {
            opened = next.open();
        } catch (IOException | RuntimeException e) {
            closeQuietly(next, e);
            throw e;
        }
        synchronized (swap) {
            current = next;
        }
        if (closed) {
            next.close();
        }
        return opened;
    }

    private static void closeQuietly(FrameSource source, Exception cause) {
        try {
            source.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Restarts so far (the number of completed plays while the stream goes on). */
    public int restarts() {
        return restarts;
    }

    /** Frames delivered so far, over all plays. */
    public long framesRead() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        FrameSource src;
        synchronized (swap) {
            src = current;
            current = null;
        }
        if (src != null) {
            src.close();
        }
    }

    @Override
    public String toString() {
        return "LoopingSource[" + (info == null ? factory : info.description()) + "]";
    }
}
