package dev.segment.engine;

import dev.segment.codecs.VideoFrame;

import java.nio.ByteBuffer;

/**
 * The CRF stage's work on one frame: from the model's scores and the frame's pixels to refined labels at the frame's
 * size. Keeps per-stream temporal state; {@link #reset(String)} drops it (scene cut, new size, reconnect, seek).
 */
public interface LabelRefiner extends AutoCloseable {

    /** Refines one frame; says how many mean-field iterations ran and whether it started warm. */
    Result refine(VideoFrame frame, ScoreGrid scores, ByteBuffer labelsOut) throws Exception;

    void reset(String reason);

    @Override
    void close();

    /** What the refiner did with one frame. */
    record Result(int iterations, boolean warm) {
    }
}
