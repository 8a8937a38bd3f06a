package dev.segment.crf;

import java.nio.Buffer;

/**
 * The native methods of libsegcrf.so (src/main/native/src/CrfLibrary.cpp). Every method checks its arguments again
 * on the native side; callers go through {@link DenseCrf}.
 */
final class CrfLibrary {
    static final int BACKEND_CPU = 0;
    static final int BACKEND_CUDA = 1;

    private CrfLibrary() {}

    static native String version();

    static native String cpuIsa();

    /** Null when the CUDA plugin at that path loads and sees a device, else the cause. */
    static native String probeCuda(String pluginPath);

    /** baselineIsa forces the x86-64-v2 CPU kernels (for tests comparing them with the AVX2 ones). */
    static native long create(int backend, int threads, boolean baselineIsa, String cudaPluginPath);

    static native String backendName(long handle);

    static native void setParams(
            long handle,
            float gaussianSxy,
            float gaussianWeight,
            float bilateralSxy,
            float bilateralSrgb,
            float bilateralWeight);

    /** Score kind of {@link #run} whose scores are a logits grid of the geometry last given to {@link #setScoreGrid}. */
    static final int SCORES_LOGIT_GRID = 3;

    /** The grid geometry for runs with {@link #SCORES_LOGIT_GRID} (see {@link LogitGrid}). */
    static native void setScoreGrid(
            long handle, int gridWidth, int gridHeight, int inputWidth, int inputHeight, int stride);

    /** Mean field on the classes reaching this probability somewhere (and the last labels' classes); 0 = all. */
    static native void setClassPruning(long handle, float threshold);

    static native void run(
            long handle,
            Buffer rgb,
            long rgbOffset,
            int width,
            int height,
            int classes,
            Buffer scores,
            long scoresOffset,
            int scoreKind,
            Buffer q,
            long qOffset,
            int start,
            float gate,
            float keep,
            int radius,
            float temporalWeight,
            float temporalSrgb,
            int motionRange,
            int iterations,
            Buffer labels,
            long labelsOffset,
            double[] kl,
            double[] report);

    static native void destroy(long handle);
}
