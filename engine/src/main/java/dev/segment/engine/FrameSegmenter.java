package dev.segment.engine;

import dev.segment.codecs.VideoFrame;

/**
 * Turns one decoded frame into class scores on the model's output grid. One instance serves one frame size and is
 * used by one thread (the pipeline's inference stage); it owns its native resources until {@link #close()}.
 */
public interface FrameSegmenter extends AutoCloseable {

    /** Runs the model on {@code frame} and writes its logits and the pixel-to-grid mapping into {@code out}. */
    void segment(VideoFrame frame, ScoreGrid out) throws Exception;

    /**
     * CPU nanoseconds the model's own threads (TensorFlow's pools) have used so far, shared by every segmenter of the
     * model; -1 when unknown. The CPU of the thread calling {@link #segment} is not in it.
     */
    default long poolCpuNanos() {
        return -1;
    }

    @Override
    void close();

    /** Creates segmenters for a frame size; the pipeline makes a new one when the stream's frame size changes. */
    @FunctionalInterface
    interface Factory {
        FrameSegmenter create(int width, int height) throws Exception;
    }
}
