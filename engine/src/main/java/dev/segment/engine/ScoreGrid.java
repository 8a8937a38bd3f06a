package dev.segment.engine;

import dev.segment.engine.deeplab.internal.LogitUpsampler;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The model's raw class scores (logits) for one frame on its low-resolution output grid, with what is needed to map
 * them back to pixels. Upsampling is done lazily at whatever resolution a consumer needs (labels at the frame's size,
 * probabilities at the CRF's), so a ring slot never holds a full-resolution score map: a 768x432 frame's grid is
 * 37x65x21 floats (200 KB) where its full map would be 28 MB.
 *
 * <p>Layout {@code data[(gy * gridWidth + gx) * classes + c]}; the mapping from pixels to grid is DeepLab's (see
 * {@link LogitUpsampler}). Upsamplers are cached per output size, so steady state allocates nothing. Owned by one
 * ring slot and so touched by one stage at a time.
 */
public final class ScoreGrid {
    private float[] data = new float[0];
    private int gridWidth;
    private int gridHeight;
    private int classes;
    private int inputWidth;
    private int inputHeight;
    private int stride;
    private Upsampling labelsUpsampler;
    private Upsampling scoresUpsampler;

    /**
     * Makes room for a grid (reusing the array when large enough) and records its geometry.
     *
     * @param inputWidth  width of the image the model saw (the frame resized to the crop)
     * @param inputHeight its height
     * @param stride      model-input pixels per grid step
     * @return the array to fill, at least {@code gridWidth * gridHeight * classes} long
     */
    public float[] reset(int gridWidth, int gridHeight, int classes, int inputWidth, int inputHeight, int stride) {
        if (gridWidth <= 0 || gridHeight <= 0 || classes <= 0) {
            throw new IllegalArgumentException(
                    "grid must be non-empty, got " + gridWidth + "x" + gridHeight + "x" + classes);
        }
        if (inputWidth <= 0 || inputHeight <= 0 || stride <= 0) {
            throw new IllegalArgumentException("model input size and stride must be positive, got " + inputWidth + "x"
                    + inputHeight + " stride " + stride);
        }
        int n = Math.multiplyExact(Math.multiplyExact(gridWidth, gridHeight), classes);
        if (data.length < n) {
            data = new float[n];
        }
        this.gridWidth = gridWidth;
        this.gridHeight = gridHeight;
        this.classes = classes;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.stride = stride;
        return data;
    }

    public float[] data() {
        return data;
    }

    public int classes() {
        return classes;
    }

    public int gridWidth() {
        return gridWidth;
    }

    public int gridHeight() {
        return gridHeight;
    }

    /** Width of the image the model saw; the grid maps to it. */
    public int inputWidth() {
        return inputWidth;
    }

    public int inputHeight() {
        return inputHeight;
    }

    /** Model-input pixels per grid step. */
    public int stride() {
        return stride;
    }

    /** Whether a frame has been segmented (or carried) into this grid. */
    public boolean isEmpty() {
        return gridWidth == 0;
    }

    /** Makes this grid a copy of {@code other} (geometry and scores); reuses the array when large enough. */
    public void copyFrom(ScoreGrid other) {
        if (other.isEmpty()) {
            throw new IllegalArgumentException("cannot copy an empty score grid");
        }
        float[] dst = reset(
                other.gridWidth, other.gridHeight, other.classes, other.inputWidth, other.inputHeight, other.stride);
        System.arraycopy(other.data, 0, dst, 0, other.gridWidth * other.gridHeight * other.classes);
    }

    /** Writes argmax labels at {@code width x height} (one byte per pixel, row-major) into {@code labels}. */
    public void argmax(int width, int height, ByteBuffer labels) {
        labelsUpsampler = upsampler(labelsUpsampler, width, height);
        labelsUpsampler.upsampler.upsample(data, null, labels);
    }

    /**
     * Writes the logits at {@code width x height}, pixel-major ({@code (y*width+x)*classes + c}), into {@code out}
     * (the CRF takes them as they are and does the softmax itself, vectorised).
     */
    public void logits(int width, int height, FloatBuffer out) {
        scoresUpsampler = upsampler(scoresUpsampler, width, height);
        scoresUpsampler.upsampler.upsample(data, out, null);
    }

    private Upsampling upsampler(Upsampling cached, int width, int height) {
        if (gridWidth == 0) {
            throw new IllegalStateException("score grid is empty: no frame has been segmented into it");
        }
        Geometry g = new Geometry(inputWidth, inputHeight, gridWidth, gridHeight, stride, classes, width, height);
        if (cached != null && cached.geometry.equals(g)) {
            return cached;
        }
        return new Upsampling(
                g, new LogitUpsampler(inputWidth, inputHeight, gridWidth, gridHeight, stride, classes, width, height));
    }

    private record Geometry(
            int inputWidth,
            int inputHeight,
            int gridWidth,
            int gridHeight,
            int stride,
            int classes,
            int outputWidth,
            int outputHeight) {}

    private record Upsampling(Geometry geometry, LogitUpsampler upsampler) {}
}
