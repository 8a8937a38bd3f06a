package dev.segment.engine.deeplab.internal;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Turns DeepLab's low-resolution logits grid into logits (and argmax labels) at an output size, with one bilinear
 * sample of the grid per output pixel.
 *
 * <p>Geometry. An output pixel maps to the model-input image (the frame as fed, {@code inputWidth x inputHeight}) with
 * pixel-centre alignment, {@code x' = (x + 0.5) * inputWidth / outputWidth - 0.5} clamped to {@code [0, inputWidth -
 * 1]}, and the image pixel to the grid with DeepLab's align-corners upsampling, {@code g = x' / stride} (stride 8:
 * the 65 grid spans the 513 crop corner to corner). Because bilinear interpolation of the grid is piecewise bilinear
 * with knots on integer {@code x'}, this equals resizing DeepLab's own full-resolution {@code ResizeBilinear_2}
 * (cropped to the image) to the output size with the same pixel-centre rule, without the 22 MB fetch.
 *
 * <p>Indices and weights are computed once here; {@link #upsample} allocates nothing. Not thread-safe.
 */
public final class LogitUpsampler {

    private final int outputWidth;
    private final int outputHeight;
    private final int classes;
    private final int gridRowFloats;
    private final int usedGridFloats;
    private final int[] colA; // per output column: grid column * classes
    private final float[] colWeight; // weight of the next grid column
    private final int[] rowA; // per output row: grid row * gridRowFloats
    private final int[] rowB;
    private final float[] rowWeight;
    private final float[] blendedRow;
    private final float[] columnStep;
    private final float[] outputRow;
    private final byte[] labelRow;

    /**
     * @param inputWidth  width of the image as fed to the model (after any resize, before any padding)
     * @param gridWidth   columns of the fetched logits grid
     * @param stride      model-input pixels per grid step
     */
    public LogitUpsampler(
            int inputWidth,
            int inputHeight,
            int gridWidth,
            int gridHeight,
            int stride,
            int classes,
            int outputWidth,
            int outputHeight) {
        if (inputWidth < 1
                || inputHeight < 1
                || outputWidth < 1
                || outputHeight < 1
                || gridWidth < 1
                || gridHeight < 1
                || stride < 1
                || classes < 1) {
            throw new IllegalArgumentException("all sizes must be >= 1: input " + inputWidth + "x" + inputHeight
                    + ", grid " + gridWidth + "x" + gridHeight + ", stride " + stride + ", classes " + classes
                    + ", output " + outputWidth + "x" + outputHeight);
        }
        this.outputWidth = outputWidth;
        this.outputHeight = outputHeight;
        this.classes = classes;
        this.gridRowFloats = gridWidth * classes;
        this.colA = new int[outputWidth];
        this.colWeight = new float[outputWidth];
        this.rowA = new int[outputHeight];
        this.rowB = new int[outputHeight];
        this.rowWeight = new float[outputHeight];
        int maxCol = samples(inputWidth, outputWidth, gridWidth, stride, colA, new int[outputWidth], colWeight);
        samples(inputHeight, outputHeight, gridHeight, stride, rowA, rowB, rowWeight);
        for (int i = 0; i < outputWidth; i++) {
            colA[i] *= classes;
        }
        for (int i = 0; i < outputHeight; i++) {
            rowA[i] *= gridRowFloats;
            rowB[i] *= gridRowFloats;
        }
        this.usedGridFloats = (maxCol + 1) * classes;
        this.blendedRow = new float[usedGridFloats];
        this.columnStep = new float[usedGridFloats];
        this.outputRow = new float[outputWidth * classes];
        this.labelRow = new byte[outputWidth];
    }

    /** Fills the grid indices either side of each output sample and the weight of the far one; returns the max index. */
    private static int samples(int input, int output, int grid, int stride, int[] a, int[] b, float[] weight) {
        double scale = (double) input / output;
        int max = 0;
        for (int o = 0; o < output; o++) {
            double x = Math.min(Math.max((o + 0.5) * scale - 0.5, 0.0), input - 1);
            double g = Math.min(x / stride, grid - 1);
            int g0 = (int) Math.floor(g);
            int g1 = Math.min(g0 + 1, grid - 1);
            a[o] = g0;
            b[o] = g1;
            weight[o] = g1 == g0 ? 0f : (float) (g - g0);
            max = Math.max(max, g1);
        }
        return max;
    }

    /** Floats of the grid this upsampler reads: {@code gridHeight * gridWidth * classes}, HWC. */
    public int gridFloats(int gridHeight) {
        return gridHeight * gridRowFloats;
    }

    /**
     * @param grid   logits grid, HWC ({@code (gy * gridWidth + gx) * classes + c})
     * @param logits receives {@code outputHeight * outputWidth * classes} floats from index 0, HWC; null to skip
     * @param labels receives one byte (argmax class) per output pixel from index 0, row-major; null to skip
     */
    public void upsample(float[] grid, FloatBuffer logits, ByteBuffer labels) {
        int c = classes;
        int rowFloats = outputWidth * c;
        int lastA = -1;
        int lastB = -1;
        float lastWeight = Float.NaN;
        for (int oy = 0; oy < outputHeight; oy++) {
            int ra = rowA[oy];
            int rb = rowB[oy];
            float wb = rowWeight[oy];
            if (ra != lastA || rb != lastB || Float.compare(wb, lastWeight) != 0) {
                blendRows(grid, ra, rb, wb);
                lastA = ra;
                lastB = rb;
                lastWeight = wb;
            }
            // Between two grid columns the output is linear in x: value = left + w * (right - left).
            for (int ox = 0, out = 0; ox < outputWidth; ox++, out += c) {
                int base = colA[ox];
                float w = colWeight[ox];
                for (int k = 0; k < c; k++) {
                    outputRow[out + k] = blendedRow[base + k] + w * columnStep[base + k];
                }
            }
            if (labels != null) {
                argmaxRow();
                labels.put(oy * outputWidth, labelRow, 0, outputWidth);
            }
            if (logits != null) {
                logits.put(oy * rowFloats, outputRow, 0, rowFloats);
            }
        }
    }

    /** Vertical interpolation of two grid rows, and the step from each grid column to the next. */
    private void blendRows(float[] grid, int ra, int rb, float wb) {
        float wa = 1f - wb;
        for (int i = 0; i < usedGridFloats; i++) {
            blendedRow[i] = wa * grid[ra + i] + wb * grid[rb + i];
        }
        int steps = usedGridFloats - classes;
        for (int i = 0; i < steps; i++) {
            columnStep[i] = blendedRow[i + classes] - blendedRow[i];
        }
        // the last used column has no right neighbour: its samples have weight 0, the step stays 0
    }

    private void argmaxRow() {
        int c = classes;
        for (int ox = 0, out = 0; ox < outputWidth; ox++, out += c) {
            int best = 0;
            float bestValue = outputRow[out];
            for (int k = 1; k < c; k++) {
                float v = outputRow[out + k];
                if (v > bestValue) {
                    bestValue = v;
                    best = k;
                }
            }
            labelRow[ox] = (byte) best;
        }
    }
}
