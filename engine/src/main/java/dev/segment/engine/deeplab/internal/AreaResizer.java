package dev.segment.engine.deeplab.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Downscales packed RGB24 by area averaging (each output pixel is the mean of the source area it covers, like
 * OpenCV's INTER_AREA; no aliasing at large factors such as 8K to 513). Separable: each output column is a weighted
 * sum of a run of source columns, and each filtered source row adds into at most two output rows, with weights
 * precomputed here. Allocates nothing per frame; one instance per frame size, not thread-safe.
 */
public final class AreaResizer {

    private final int srcWidth;
    private final int srcHeight;
    private final int dstWidth;
    private final int dstHeight;
    private final int[] colStart; // per output column: first source column * 3
    private final int[] colCount; // per output column: source columns it averages
    private final int[] colOffset; // per output column: index of its first weight in colWeights
    private final float[] colWeights;
    private final int[] rowFirst; // per source row: first output row
    private final float[] rowWeightA;
    private final float[] rowWeightB;
    private final byte[] sourceRow;
    private final float[] filteredRow;

    public AreaResizer(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1) {
            throw new IllegalArgumentException("sizes must be >= 1: source " + srcWidth + "x" + srcHeight
                    + ", destination " + dstWidth + "x" + dstHeight);
        }
        if (dstWidth > srcWidth || dstHeight > srcHeight) {
            throw new IllegalArgumentException("area resize only shrinks: source " + srcWidth + "x" + srcHeight
                    + ", destination " + dstWidth + "x" + dstHeight);
        }
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.dstWidth = dstWidth;
        this.dstHeight = dstHeight;
        int[] colFirst = new int[srcWidth];
        float[] colWeightA = new float[srcWidth];
        float[] colWeightB = new float[srcWidth];
        this.rowFirst = new int[srcHeight];
        this.rowWeightA = new float[srcHeight];
        this.rowWeightB = new float[srcHeight];
        spans(srcWidth, dstWidth, colFirst, colWeightA, colWeightB);
        spans(srcHeight, dstHeight, rowFirst, rowWeightA, rowWeightB);
        // Turn "each source column adds into one or two output columns" into "each output column reads a run of
        // source columns", so that the per-frame loop accumulates in registers and writes each output once.
        this.colStart = new int[dstWidth];
        this.colCount = new int[dstWidth];
        this.colOffset = new int[dstWidth];
        this.colWeights = new float[2 * srcWidth];
        Arrays.fill(colStart, -1);
        float[][] perOutput = new float[dstWidth][];
        for (int i = 0; i < srcWidth; i++) {
            add(colFirst[i], i, colWeightA[i], perOutput);
            if (colWeightB[i] != 0f) {
                add(colFirst[i] + 1, i, colWeightB[i], perOutput);
            }
        }
        for (int o = 0, offset = 0; o < dstWidth; o++) {
            colOffset[o] = offset;
            System.arraycopy(perOutput[o], 0, colWeights, offset, colCount[o]);
            offset += colCount[o];
            colStart[o] *= 3;
        }
        this.sourceRow = new byte[srcWidth * 3];
        this.filteredRow = new float[dstWidth * 3];
    }

    private void add(int o, int sourceColumn, float weight, float[][] perOutput) {
        if (colStart[o] < 0) {
            colStart[o] = sourceColumn;
            perOutput[o] = new float[(int) Math.ceil((double) srcWidth / dstWidth) + 2];
        }
        perOutput[o][colCount[o]++] = weight;
    }

    /** For each source index: the output index it starts in and its weights there and in the next one. */
    private static void spans(int src, int dst, int[] first, float[] weightA, float[] weightB) {
        double scale = (double) src / dst;
        for (int i = 0; i < src; i++) {
            int o = Math.min((int) (i / scale), dst - 1);
            double boundary = (o + 1) * scale;
            if (i + 1 > boundary + 1e-9 && o + 1 < dst) {
                weightA[i] = (float) ((boundary - i) / scale);
                weightB[i] = (float) ((i + 1 - boundary) / scale);
            } else {
                weightA[i] = (float) (1 / scale);
                weightB[i] = 0f;
            }
            first[i] = o;
        }
    }

    /**
     * @param rgb source frame, {@code srcWidth * srcHeight * 3} bytes from index 0 (position and limit untouched)
     * @param dst {@code dstWidth * dstHeight * 3} floats receiving values in [0, 255]
     */
    public void resize(ByteBuffer rgb, float[] dst) {
        int rowBytes = srcWidth * 3;
        int dstRow = dstWidth * 3;
        Arrays.fill(dst, 0, dstHeight * dstRow, 0f);
        for (int sy = 0; sy < srcHeight; sy++) {
            rgb.get(sy * rowBytes, sourceRow, 0, rowBytes);
            for (int o = 0, out = 0; o < dstWidth; o++, out += 3) {
                int src = colStart[o];
                int w = colOffset[o];
                float r = 0f;
                float g = 0f;
                float b = 0f;
                for (int n = colCount[o]; n > 0; n--, src += 3, w++) {
                    float weight = colWeights[w];
                    r += weight * (sourceRow[src] & 0xff);
                    g += weight * (sourceRow[src + 1] & 0xff);
                    b += weight * (sourceRow[src + 2] & 0xff);
                }
                filteredRow[out] = r;
                filteredRow[out + 1] = g;
                filteredRow[out + 2] = b;
            }
            int base = rowFirst[sy] * dstRow;
            float a = rowWeightA[sy];
            for (int i = 0; i < dstRow; i++) {
                dst[base + i] += a * filteredRow[i];
            }
            float b = rowWeightB[sy];
            if (b != 0f) {
                base += dstRow;
                for (int i = 0; i < dstRow; i++) {
                    dst[base + i] += b * filteredRow[i];
                }
            }
        }
    }

    public int dstWidth() {
        return dstWidth;
    }

    public int dstHeight() {
        return dstHeight;
    }
}
