package dev.segment.engine.deeplab.internal;

/**
 * One way of running the graph for images of one model-input size: feed the image, run, copy out the logits grid.
 * Implementations own an input tensor that is written in place before every run (TF Java 1.1.0 allows that: a fed
 * tensor stays owned by Java and TensorFlow does not keep it after the run). Not thread-safe.
 */
public interface InferencePath extends AutoCloseable {

    /** Copies the image ({@code width * height * 3} RGB bytes, row-major) into the input tensor. */
    void feed(byte[] rgb);

    /** Copies the image ({@code width * height * 3} RGB values in [0, 255], row-major) into the input tensor. */
    void feed(float[] rgb);

    /** Runs the graph and copies the logits grid ({@link #gridHeight()} x {@link #gridWidth()} x classes, HWC). */
    void run(float[] grid);

    int gridWidth();

    int gridHeight();

    /** Whether this path runs the unpadded, size-specialised graph. */
    boolean unpadded();

    @Override
    void close();
}
