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

    /**
     * The frames come from a live source at {@code frameRate}: the refiner may trade detail for time to keep up with
     * it. Called before the first frame; does nothing by default.
     */
    default void keepUpWith(double frameRate) {}

    @Override
    void close();

    /**
     * What the refiner did with one frame.
     *
     * @param iterations mean-field iterations
     * @param warm       whether it started from the previous frame's state
     * @param gridWidth  width of the grid it refined on (the frame's, or smaller)
     * @param gridHeight its height
     */
    record Result(int iterations, boolean warm, int gridWidth, int gridHeight) {}
}
