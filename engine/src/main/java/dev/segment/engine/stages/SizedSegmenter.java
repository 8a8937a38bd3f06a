package dev.segment.engine.stages;

import dev.segment.codecs.VideoFrame;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.ScoreGrid;

/**
 * One segmenter for the stream's current frame size: a new one (the old one closed) when the size changes. Used by
 * the thread that runs the model; not thread-safe.
 */
final class SizedSegmenter implements AutoCloseable {
    private final FrameSegmenter.Factory factory;
    private FrameSegmenter segmenter;
    private int width;
    private int height;
    private long lastCpuNanos;

    SizedSegmenter(FrameSegmenter.Factory factory) {
        this.factory = factory;
    }

    /** Runs the model on {@code frame} into {@code out}, with a segmenter made for the frame's size. */
    void segment(VideoFrame frame, ScoreGrid out) throws Exception {
        int w = frame.width();
        int h = frame.height();
        if (segmenter == null || w != width || h != height) {
            close();
            segmenter = factory.create(w, h);
            width = w;
            height = h;
        }
        long cpu0 = ThreadCpu.now();
        long pool0 = segmenter.poolCpuNanos();
        segmenter.segment(frame, out);
        long pool = pool0 < 0 ? 0 : segmenter.poolCpuNanos() - pool0;
        lastCpuNanos = ThreadCpu.now() - cpu0 + pool;
    }

    /**
     * The CPU time of the last {@link #segment}: the calling thread's (resizing the frame, copying the scores) and the
     * model's thread pools' (exact while one model run at a time uses them, as the stages and the scheduler arrange).
     */
    long lastCpuNanos() {
        return lastCpuNanos;
    }

    @Override
    public void close() {
        if (segmenter != null) {
            segmenter.close();
            segmenter = null;
        }
    }
}
