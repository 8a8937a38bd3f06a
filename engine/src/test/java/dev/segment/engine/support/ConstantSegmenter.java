package dev.segment.engine.support;

import dev.segment.codecs.VideoFrame;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.ScoreGrid;

/**
 * A stand-in for the model where the test is about the pipeline, not the model: every pixel gets class
 * {@code label}; optionally slow, to play a pipeline slower than its source.
 */
public final class ConstantSegmenter implements FrameSegmenter {
    private final int label;
    private final long delayMillis;

    public ConstantSegmenter(int label, long delayMillis) {
        this.label = label;
        this.delayMillis = delayMillis;
    }

    @Override
    public void segment(VideoFrame frame, ScoreGrid out) throws InterruptedException {
        if (delayMillis > 0) {
            Thread.sleep(delayMillis);
        }
        float[] d = out.reset(2, 2, 21, frame.width(), frame.height(), Math.max(1, frame.width() - 1));
        java.util.Arrays.fill(d, 0f);
        for (int p = 0; p < 4; p++) {
            d[p * 21 + label] = 5f;
        }
    }

    @Override
    public void close() {}
}
