package dev.segment.engine.eval;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A sink that scores the pipeline's output labels instead of writing them: each frame's labels go into a
 * {@link VideoScore} with the frame's truth mask, if a truth folder is given. Put it into any pipeline (the one
 * {@code segment convert} runs) to measure exactly what users get.
 *
 * <p>Flicker and truth are only meaningful over every frame in order, so a frame whose index is not the next one
 * (a dropped or reordered frame: run files with the blocking backpressure, the default for files) fails the run,
 * as does a frame of another size or a missing mask.
 *
 * <p>{@link #asShown} scores what a viewer of a live source sees instead: the clip is fed at its frame rate as a
 * camera would, frames the pipeline cannot keep up with are dropped, and every clip frame is scored against the
 * output frame on screen when it was captured: its own when it came out, else the last one before it. A frame's place
 * in the clip comes from its timestamp. The time a frame takes through the pipeline (its latency) is not counted:
 * the frame shown for clip frame k is the last one out of frames 0..k.
 */
public final class TruthSink implements FrameSink {
    private final TruthMasks truth;
    private final long firstFrame;
    private final VideoScore score;
    private final boolean asShown;
    private double frameRate; // as shown: the clip's, from which an output frame's timestamp gives its place
    private ByteBuffer shown; // as shown: the labels on screen
    private long firstPts = -1;
    private long out;
    private int width;
    private int height;
    private long next;
    private boolean opened;
    private boolean closed;

    /**
     * @param truth      the truth folder, or null to measure flicker only
     * @param firstFrame the clip's frame number of the pipeline's output frame 0 ({@code source.startFrame})
     * @param score      where the frames are scored
     */
    public TruthSink(TruthMasks truth, long firstFrame, VideoScore score) {
        this(truth, firstFrame, score, false);
    }

    private TruthSink(TruthMasks truth, long firstFrame, VideoScore score, boolean asShown) {
        if (firstFrame < 0) {
            throw new IllegalArgumentException("firstFrame must be >= 0, got " + firstFrame);
        }
        this.truth = truth;
        this.firstFrame = firstFrame;
        this.score = Objects.requireNonNull(score, "score");
        this.asShown = asShown;
    }

    /**
     * Scores every clip frame against the output frame on screen when it was captured (see the class comment); call
     * {@link #finish} with the clip's frame count once the pipeline ended. The clip's frame rate (from {@link #open})
     * places each output frame by its timestamp.
     */
    public static TruthSink asShown(TruthMasks truth, long firstFrame, VideoScore score) {
        return new TruthSink(truth, firstFrame, score, true);
    }

    @Override
    public void open(VideoInfo info) {
        width = info.width();
        height = info.height();
        frameRate = info.frameRate();
        if (asShown && !(frameRate > 0 && frameRate < 1000)) {
            throw new IllegalStateException("scoring frames as shown needs the clip's frame rate, got " + frameRate);
        }
        opened = true;
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (!opened || closed) {
            throw new IllegalStateException("write before open or after close");
        }
        if (asShown) {
            writeAsShown(frame);
            return;
        }
        if (frame.index() != next) {
            throw new IllegalStateException("evaluation needs every frame in order: got output frame " + frame.index()
                    + " where frame " + next + " was due (frames were dropped or reordered; files must run with"
                    + " blocking backpressure)");
        }
        checkSize(frame);
        byte[] mask = truth == null ? null : truth.read(firstFrame + frame.index(), width, height);
        score.add(frame.labels(), width * height, mask);
        next++;
    }

    private void writeAsShown(SegmentedFrame frame) throws IOException {
        checkSize(frame);
        if (firstPts < 0) {
            firstPts = frame.ptsMicros();
        }
        long k = Math.round((frame.ptsMicros() - firstPts) * frameRate / 1e6);
        if (k < next) {
            throw new IllegalStateException("output frame " + frame.index() + " (clip frame " + (firstFrame + k)
                    + ") came after clip frame " + (firstFrame + next - 1) + ": frames out of order");
        }
        showUntil(k);
        ByteBuffer labels = frame.labels();
        if (shown == null) {
            shown = ByteBuffer.allocate(width * height);
        }
        shown.clear();
        shown.put(labels.duplicate().clear().limit(width * height)).flip();
        scoreFrame(shown, next);
        next = k + 1;
        out++;
    }

    /** Scores clip frames {@code next..k-1}, dropped by the pipeline, against the labels on screen. */
    private void showUntil(long k) throws IOException {
        for (; next < k; next++) {
            if (shown != null) {
                scoreFrame(shown, next);
            }
        }
    }

    private void scoreFrame(ByteBuffer labels, long k) throws IOException {
        byte[] mask = truth == null ? null : truth.read(firstFrame + k, width, height);
        score.add(labels.duplicate().clear(), width * height, mask);
    }

    /**
     * As shown: scores the clip frames after the last output frame (dropped at the end) against it.
     *
     * @param clipFrames the frames the source delivered, dropped ones included
     */
    public void finish(long clipFrames) throws IOException {
        if (asShown) {
            showUntil(clipFrames);
        }
    }

    /** Output frames written (as shown; otherwise the same as {@link #frames()}). */
    public long framesOut() {
        return asShown ? out : next;
    }

    private void checkSize(SegmentedFrame frame) {
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalStateException("frame " + frame.index() + " is " + frame.width() + "x" + frame.height()
                    + ", the clip opened at " + width + "x" + height + ": evaluation needs one frame size");
        }
    }

    /** Frames scored so far. */
    public long frames() {
        return next;
    }

    public VideoScore score() {
        return score;
    }

    @Override
    public void close() {
        closed = true;
    }
}
