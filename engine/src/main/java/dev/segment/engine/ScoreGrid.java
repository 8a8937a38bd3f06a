package dev.segment.engine;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The model's raw class scores (logits) for one frame on its low-resolution output grid, plus the mapping from frame
 * pixels to grid coordinates. Upsampling is a bilinear sample of the grid per output pixel, done lazily at whatever
 * resolution a consumer needs (labels at the frame's size, probabilities at the CRF's), so a slot never holds a
 * full-resolution score map.
 *
 * <p>Layout: {@code data[(gy * gridWidth + gx) * classes + c]}. A frame pixel centre (x + 0.5, y + 0.5) at frame
 * size (fw, fh) maps to model-input pixel {@code x' = (x + 0.5) * modelWidth / fw - 0.5} and to grid coordinate
 * {@code x' / stride} (DeepLab's align-corners upsampling of an output-stride-{@code stride} grid), clamped to the grid.
 */
public final class ScoreGrid {
    private float[] data = new float[0];
    private int gridWidth;
    private int gridHeight;
    private int classes;
    private int modelWidth;
    private int modelHeight;
    private double stride;
    private Axis xAxis;
    private Axis yAxis;
    private float[] acc = new float[0];

    /** Makes room for a grid of this size (reusing the array when it is large enough) and records the mapping. */
    public float[] reset(int gridWidth, int gridHeight, int classes, int modelWidth, int modelHeight, double stride) {
        if (gridWidth <= 0 || gridHeight <= 0 || classes <= 0) {
            throw new IllegalArgumentException("grid must be non-empty, got " + gridWidth + "x" + gridHeight + "x" + classes);
        }
        if (modelWidth <= 0 || modelHeight <= 0 || !(stride > 0)) {
            throw new IllegalArgumentException("model size and stride must be positive, got " + modelWidth + "x"
                    + modelHeight + " stride " + stride);
        }
        int n = Math.multiplyExact(Math.multiplyExact(gridWidth, gridHeight), classes);
        if (data.length < n) {
            data = new float[n];
        }
        this.gridWidth = gridWidth;
        this.gridHeight = gridHeight;
        this.classes = classes;
        this.modelWidth = modelWidth;
        this.modelHeight = modelHeight;
        this.stride = stride;
        return data;
    }

    public float[] data() {
        return data;
    }

    public int gridWidth() {
        return gridWidth;
    }

    public int gridHeight() {
        return gridHeight;
    }

    public int classes() {
        return classes;
    }

    /** Writes argmax labels at {@code width x height} (one byte per pixel, row-major) into {@code labels}. */
    public void argmax(int width, int height, ByteBuffer labels) {
        checkOutput(width, height, labels.capacity(), 1, "labels");
        Axis xs = xAxis = axis(xAxis, width, modelWidth, gridWidth);
        Axis ys = yAxis = axis(yAxis, height, modelHeight, gridHeight);
        float[] acc = accumulator();
        for (int y = 0; y < height; y++) {
            int r0 = ys.i0[y] * gridWidth;
            int r1 = ys.i1[y] * gridWidth;
            float wy = ys.w[y];
            int row = y * width;
            for (int x = 0; x < width; x++) {
                sample(r0, r1, wy, xs.i0[x], xs.i1[x], xs.w[x], acc);
                int best = 0;
                float bestScore = acc[0];
                for (int c = 1; c < classes; c++) {
                    if (acc[c] > bestScore) {
                        bestScore = acc[c];
                        best = c;
                    }
                }
                labels.put(row + x, (byte) best);
            }
        }
    }

    /**
     * Writes softmax probabilities at {@code width x height} in pixel-major layout ({@code (y*width+x)*classes + c})
     * into {@code out}.
     */
    public void probabilities(int width, int height, FloatBuffer out) {
        checkOutput(width, height, out.capacity(), classes, "probabilities");
        Axis xs = xAxis = axis(xAxis, width, modelWidth, gridWidth);
        Axis ys = yAxis = axis(yAxis, height, modelHeight, gridHeight);
        float[] acc = accumulator();
        for (int y = 0; y < height; y++) {
            int r0 = ys.i0[y] * gridWidth;
            int r1 = ys.i1[y] * gridWidth;
            float wy = ys.w[y];
            int base = y * width * classes;
            for (int x = 0; x < width; x++) {
                sample(r0, r1, wy, xs.i0[x], xs.i1[x], xs.w[x], acc);
                float max = acc[0];
                for (int c = 1; c < classes; c++) {
                    max = Math.max(max, acc[c]);
                }
                float sum = 0f;
                for (int c = 0; c < classes; c++) {
                    float e = (float) Math.exp(acc[c] - max);
                    acc[c] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                int o = base + x * classes;
                for (int c = 0; c < classes; c++) {
                    out.put(o + c, acc[c] * inv);
                }
            }
        }
    }

    private void sample(int r0, int r1, float wy, int c0, int c1, float wx, float[] acc) {
        int a = (r0 + c0) * classes;
        int b = (r0 + c1) * classes;
        int c = (r1 + c0) * classes;
        int d = (r1 + c1) * classes;
        float w00 = (1 - wy) * (1 - wx);
        float w01 = (1 - wy) * wx;
        float w10 = wy * (1 - wx);
        float w11 = wy * wx;
        for (int k = 0; k < classes; k++) {
            acc[k] = w00 * data[a + k] + w01 * data[b + k] + w10 * data[c + k] + w11 * data[d + k];
        }
    }

    private void checkOutput(int width, int height, int capacity, int perPixel, String what) {
        if (gridWidth == 0) {
            throw new IllegalStateException("score grid is empty: no frame has been segmented into it");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(what + " size must be positive, got " + width + "x" + height);
        }
        long need = (long) width * height * perPixel;
        if (capacity < need) {
            throw new IllegalArgumentException(what + " buffer holds " + capacity + " values, " + width + "x" + height
                    + " needs " + need);
        }
    }

    private float[] accumulator() {
        if (acc.length < classes) {
            acc = new float[classes];
        }
        return acc;
    }

    /** Taps are recomputed only when the output, model or grid size changes (steady state allocates nothing). */
    private Axis axis(Axis cached, int outSize, int modelSize, int gridSize) {
        if (cached != null && cached.matches(outSize, modelSize, gridSize, stride)) {
            return cached;
        }
        Axis a = new Axis(outSize, modelSize, gridSize, stride);
        double scale = (double) modelSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double m = (i + 0.5) * scale - 0.5;
            double g = Math.max(0, Math.min(gridSize - 1, m / stride));
            int i0 = (int) Math.floor(g);
            int i1 = Math.min(gridSize - 1, i0 + 1);
            a.i0[i] = i0;
            a.i1[i] = i1;
            a.w[i] = (float) (g - i0);
        }
        return a;
    }

    /** Per-output-index interpolation taps along one axis. */
    private static final class Axis {
        final int[] i0;
        final int[] i1;
        final float[] w;
        private final int modelSize;
        private final int gridSize;
        private final double stride;

        Axis(int n, int modelSize, int gridSize, double stride) {
            i0 = new int[n];
            i1 = new int[n];
            w = new float[n];
            this.modelSize = modelSize;
            this.gridSize = gridSize;
            this.stride = stride;
        }

        boolean matches(int n, int model, int grid, double s) {
            return w.length == n && modelSize == model && gridSize == grid && stride == s;
        }
    }
}
