package dev.segment.engine.eval;

import dev.segment.codecs.FrameSink;
import dev.segment.codecs.SegmentedFrame;
import dev.segment.codecs.VideoInfo;
import java.io.IOException;
import java.util.Objects;

/**
 * A sink that scores the pipeline's output labels instead of writing them: each frame's labels go into a
 * {@link VideoScore} with the frame's truth mask, if a truth folder is given. Put it into any pipeline (the one
 * {@code segment convert} runs) to measure exactly what users get.
 *
 * <p>Flicker and truth are only meaningful over every frame in order, so a frame whose index is not the next one
 * (a dropped or reordered frame: run files with the blocking backpressure, the default for files) fails the run,
 * as does a frame of another size or a missing mask.
 */
public final class TruthSink implements FrameSink {
    private final TruthMasks truth;
    private final long firstFrame;
    private final VideoScore score;
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
        if (firstFrame < 0) {
            throw new IllegalArgumentException("firstFrame must be >= 0, got " + firstFrame);
        }
        this.truth = truth;
        this.firstFrame = firstFrame;
        this.score = Objects.requireNonNull(score, "score");
    }

    @Override
    public void open(VideoInfo info) {
        width = info.width();
        height = info.height();
        opened = true;
    }

    @Override
    public void write(SegmentedFrame frame) throws IOException {
        if (!opened || closed) {
            throw new IllegalStateException("write before open or after close");
        }
        if (frame.index() != next) {
            throw new IllegalStateException("evaluation needs every frame in order: got output frame " + frame.index()
                    + " where frame " + next + " was due (frames were dropped or reordered; files must run with"
                    + " blocking backpressure)");
        }
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalStateException("frame " + frame.index() + " is " + frame.width() + "x" + frame.height()
                    + ", the clip opened at " + width + "x" + height + ": evaluation needs one frame size");
        }
        byte[] mask = truth == null ? null : truth.read(firstFrame + frame.index(), width, height);
        score.add(frame.labels(), width * height, mask);
        next++;
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
