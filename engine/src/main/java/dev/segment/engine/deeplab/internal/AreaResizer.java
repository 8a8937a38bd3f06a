package dev.segment.engine.deeplab.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Downscales packed RGB24 by area averaging (each output pixel is the mean of the source area it covers, like
 * OpenCV's INTER_AREA; no aliasing at large factors such as 8K to 513). Separable: every source pixel adds into at
 * most two output columns and every filtered source row into at most two output rows, with weights precomputed
 * here. Allocates nothing per frame; one instance per frame size, not thread-safe.
 */
public final class AreaResizer {

    private final int srcWidth;
    private final int srcHeight;
    private final int dstWidth;
    private final int dstHeight;
    private final int[] colFirst;   // per source column: first output column * 3
    private final float[] colWeightA;
    private final float[] colWeightB; // weight into the next output column
    private final int[] rowFirst;   // per source row: first output row
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
        this.colFirst = new int[srcWidth];
        this.colWeightA = new float[srcWidth];
        this.colWeightB = new float[srcWidth];
        this.rowFirst = new int[srcHeight];
        this.rowWeightA = new float[srcHeight];
        this.rowWeightB = new float[srcHeight];
        spans(srcWidth, dstWidth, colFirst, colWeightA, colWeightB);
        spans(srcHeight, dstHeight, rowFirst, rowWeightA, rowWeightB);
        for (int i = 0; i < srcWidth; i++) {
            colFirst[i] *= 3;
        }
        this.sourceRow = new byte[srcWidth * 3];
        this.filteredRow = new float[(dstWidth + 1) * 3]; // +1: the B side of the last column, always weight 0
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
            Arrays.fill(filteredRow, 0f);
            for (int sx = 0, s = 0; sx < srcWidth; sx++, s += 3) {
                int o = colFirst[sx];
                float a = colWeightA[sx];
                float b = colWeightB[sx];
                float r = sourceRow[s] & 0xff;
                float g = sourceRow[s + 1] & 0xff;
                float bl = sourceRow[s + 2] & 0xff;
                filteredRow[o] += a * r;
                filteredRow[o + 1] += a * g;
                filteredRow[o + 2] += a * bl;
                filteredRow[o + 3] += b * r;
                filteredRow[o + 4] += b * g;
                filteredRow[o + 5] += b * bl;
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
