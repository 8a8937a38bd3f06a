package dev.segment.crf;

import dev.segment.config.CrfBackend;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A fully connected CRF (Kraehenbuehl &amp; Koltun 2011): Potts compatibility, a Gaussian kernel on position and a
 * bilateral kernel on position and RGB, symmetric normalisation, mean-field inference on the permutohedral lattice.
 *
 * <p>All buffers are direct, in native byte order, PIXEL-MAJOR ("HWC"): element {@code (y * width + x) * classes +
 * c}; they are read from and written at their current position without copies. rgb holds {@code width * height * 3}
 * bytes; scores, and Q when given, {@code width * height * classes} floats; labels {@code width * height} bytes.
 *
 * <p>One instance runs one frame at a time (calls are serialised) and keeps per-frame-size state (the Gaussian
 * lattice, scratch memory), so give each stream its own. Close it to free its native memory and threads.
 */
public final class DenseCrf implements AutoCloseable {
    private final Object lock = new Object();
    private final String backendName;
    private final String backendReason;
    private final CrfParams params;
    // The last call's timings (4 values), camera shift (2 values) and classes computed, as the native side reports
    // them.
    private final double[] report = new double[7];
    private long handle;

    private DenseCrf(long handle, CrfParams params, String reason) {
        this.handle = handle;
        this.params = params;
        this.backendName = CrfLibrary.backendName(handle);
        this.backendReason = reason;
    }

    /**
     * Opens a CRF with the given kernel parameters.
     *
     * @param backend CPU, CUDA (fails with the cause when unusable) or AUTO (CUDA when usable, else the CPU)
     * @param threads CPU threads for the lattice and (CPU backend) the iterations; 0 means all available processors
     */
    public static DenseCrf open(CrfParams params, CrfBackend backend, int threads) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(backend, "backend");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        ensureAvailability();
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        String plugin = NativeRuntime.loaded().cudaPlugin() == null
                ? ""
                : NativeRuntime.loaded().cudaPlugin().toString();
        long h;
        String reason;
        switch (backend) {
            case CPU -> {
                h = CrfLibrary.create(CrfLibrary.BACKEND_CPU, n, baselineIsa(), plugin);
                reason = "cpu requested";
            }
            case CUDA -> {
                String cause = NativeRuntime.cudaUnavailabilityCause();
                if (cause != null) {
                    throw new CrfException("the CUDA backend is unavailable: " + cause);
                }
                h = CrfLibrary.create(CrfLibrary.BACKEND_CUDA, n, baselineIsa(), plugin);
                reason = "cuda requested";
            }
            default -> {
                String cause = NativeRuntime.cudaUnavailabilityCause();
                if (cause == null) {
                    h = CrfLibrary.create(CrfLibrary.BACKEND_CUDA, n, baselineIsa(), plugin);
                    reason = "auto: CUDA device found";
                } else {
                    h = CrfLibrary.create(CrfLibrary.BACKEND_CPU, n, baselineIsa(), plugin);
                    reason = "auto: CUDA unavailable (" + cause + "), using the CPU";
                }
            }
        }
        try {
            CrfLibrary.setParams(
                    h,
                    (float) params.gaussianSxy(),
                    (float) params.gaussianWeight(),
                    (float) params.bilateralSxy(),
                    (float) params.bilateralSrgb(),
                    (float) params.bilateralWeight());
            return new DenseCrf(h, params, reason);
        } catch (RuntimeException e) {
            CrfLibrary.destroy(h);
            throw e;
        }
    }

    /**
     * System property forcing the baseline (x86-64-v2) CPU kernels instead of the AVX2/FMA ones: {@value}=true. The
     * environment variable SEGCRF_ISA=v2 does the same inside the native library.
     */
    public static final String BASELINE_ISA_PROPERTY = "segment.crf.baselineIsa";

    private static boolean baselineIsa() {
        return Boolean.getBoolean(BASELINE_ISA_PROPERTY);
    }

    /** True when the native library loaded. */
    public static boolean isAvailable() {
        return NativeRuntime.unavailabilityCause() == null;
    }

    /** Why the native library did not load, or null. */
    public static Throwable unavailabilityCause() {
        return NativeRuntime.unavailabilityCause();
    }

    /** Throws a {@link CrfException} naming the cause when the native library did not load. */
    public static void ensureAvailability() {
        NativeRuntime.ensureAvailable();
    }

    /** True when the CUDA backend can run (plugin built, driver and a device present, not switched off). */
    public static boolean isCudaAvailable() {
        return NativeRuntime.cudaUnavailabilityCause() == null;
    }

    /** Why the CUDA backend cannot run, or null. */
    public static String cudaUnavailabilityCause() {
        return NativeRuntime.cudaUnavailabilityCause();
    }

    /** One line for `segment info`: library version and origin, CPU kernels, CUDA status and cause. */
    public static String describeRuntime() {
        return NativeRuntime.describe();
    }

    /** As {@link #describeRuntime()} without the CUDA status: library version and origin, CPU kernels. */
    public static String describeLibrary() {
        return NativeRuntime.describeLibrary();
    }

    /**
     * Whether the kernel shows an NVIDIA GPU on this machine (its driver's {@code /proc/driver/nvidia/gpus} has an
     * entry, or {@code /dev/nvidia0} exists), whether or not CUDA can use it: tells "no GPU" from "a GPU that CUDA
     * cannot use" (an old driver, a missing runtime), which CUDA's own messages do not.
     */
    public static boolean gpuPresent() {
        java.io.File[] gpus = new java.io.File("/proc/driver/nvidia/gpus").listFiles();
        return (gpus != null && gpus.length > 0) || new java.io.File("/dev/nvidia0").exists();
    }

    /** E.g. "cpu (x86-64-v3 (AVX2, FMA), 2 threads)". */
    public String backendName() {
        return backendName;
    }

    /** Why this backend was chosen (with AUTO: why CUDA was not). */
    public String backendReason() {
        return backendReason;
    }

    public CrfParams params() {
        return params;
    }

    /** Runs {@code iterations} mean-field steps on a frame; see {@link #infer(ByteBuffer, int, int, int, FloatBuffer,
     * ScoreKind, FloatBuffer, Start, WarmGate, int, ByteBuffer, double[])} with the default gate. */
    public void infer(
            ByteBuffer rgb,
            int width,
            int height,
            int classes,
            FloatBuffer scores,
            ScoreKind kind,
            FloatBuffer q,
            Start start,
            int iterations,
            ByteBuffer labelsOut,
            double[] klOut) {
        infer(rgb, width, height, classes, scores, kind, q, start, WarmGate.DEFAULT, iterations, labelsOut, klOut);
    }

    /**
     * Runs {@code iterations} mean-field steps on a frame.
     *
     * @param rgb width*height*3 bytes, R G B per pixel
     * @param scores width*height*classes floats: the unary U = -log p, or probabilities (see kind)
     * @param q width*height*classes floats: the start for {@link Start#FROM_Q} / {@link Start#WARM_GATED} (required
     *     then); receives the final Q (may be null for a cold start when only labels are wanted)
     * @param gate used by {@link Start#WARM_GATED} only
     * @param iterations 0..1000 mean-field steps
     * @param labelsOut width*height bytes receiving argmax Q, or null
     * @param klOut null, or at least iterations+1 values receiving the KL divergence of Q0..Q_iterations as the
     *     reference prints it (costs one more message pass)
     */
    public void infer(
            ByteBuffer rgb,
            int width,
            int height,
            int classes,
            FloatBuffer scores,
            ScoreKind kind,
            FloatBuffer q,
            Start start,
            WarmGate gate,
            int iterations,
            ByteBuffer labelsOut,
            double[] klOut) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(gate, "gate");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
        }
        if (iterations < 0 || iterations > 1000) {
            throw new IllegalArgumentException("iterations must be in 0..1000, got " + iterations);
        }
        long pixels = (long) width * height;
        check("rgb", rgb, pixels * 3, false, false);
        check("scores", scores, pixels * classes, false, false);
        check("q", q, pixels * classes, start == Start.COLD, true);
        check("labelsOut", labelsOut, pixels, true, true);
        if (klOut != null && klOut.length < iterations + 1) {
            throw new IllegalArgumentException(
                    "klOut needs iterations + 1 = " + (iterations + 1) + " values, has " + klOut.length);
        }
        synchronized (lock) {
            if (handle == 0) {
                throw new IllegalStateException("this DenseCrf is closed");
            }
            CrfLibrary.run(
                    handle,
                    rgb,
                    rgb.position(),
                    width,
                    height,
                    classes,
                    scores,
                    scores.position(),
                    kind.ordinal(),
                    q,
                    q == null ? 0 : q.position(),
                    start.ordinal(),
                    (float) gate.distance(),
                    (float) gate.keep(),
                    gate.radius(),
                    (float) gate.temporalWeight(),
                    (float) gate.temporalSrgb(),
                    gate.motionRange(),
                    iterations,
                    labelsOut,
                    labelsOut == null ? 0 : labelsOut.position(),
                    klOut,
                    report);
        }
    }

    /**
     * Runs {@code iterations} mean-field steps on a frame whose scores are the model's low-resolution logits grid,
     * upsampled to {@code width x height} natively (fused with the softmax; see {@link LogitGrid}). Otherwise as
     * {@link #infer(ByteBuffer, int, int, int, FloatBuffer, ScoreKind, FloatBuffer, Start, WarmGate, int, ByteBuffer,
     * double[])} with {@link ScoreKind#LOGITS} at full resolution, which it equals.
     */
    public void infer(
            ByteBuffer rgb,
            int width,
            int height,
            LogitGrid grid,
            FloatBuffer q,
            Start start,
            WarmGate gate,
            int iterations,
            ByteBuffer labelsOut,
            double[] klOut) {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(gate, "gate");
        int classes = grid.classes();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (iterations < 0 || iterations > 1000) {
            throw new IllegalArgumentException("iterations must be in 0..1000, got " + iterations);
        }
        long pixels = (long) width * height;
        check("rgb", rgb, pixels * 3, false, false);
        check("q", q, pixels * classes, start == Start.COLD, true);
        check("labelsOut", labelsOut, pixels, true, true);
        if (klOut != null && klOut.length < iterations + 1) {
            throw new IllegalArgumentException(
                    "klOut needs iterations + 1 = " + (iterations + 1) + " values, has " + klOut.length);
        }
        FloatBuffer data = grid.data();
        synchronized (lock) {
            if (handle == 0) {
                throw new IllegalStateException("this DenseCrf is closed");
            }
            CrfLibrary.setScoreGrid(
                    handle, grid.gridWidth(), grid.gridHeight(), grid.inputWidth(), grid.inputHeight(), grid.stride());
            CrfLibrary.run(
                    handle,
                    rgb,
                    rgb.position(),
                    width,
                    height,
                    classes,
                    data,
                    data.position(),
                    CrfLibrary.SCORES_LOGIT_GRID,
                    q,
                    q == null ? 0 : q.position(),
                    start.ordinal(),
                    (float) gate.distance(),
                    (float) gate.keep(),
                    gate.radius(),
                    (float) gate.temporalWeight(),
                    (float) gate.temporalSrgb(),
                    gate.motionRange(),
                    iterations,
                    labelsOut,
                    labelsOut == null ? 0 : labelsOut.position(),
                    klOut,
                    report);
        }
    }

    /**
     * Class pruning for the following calls: the mean field runs only on the classes whose probability (the evidence,
     * softmax(-U)) reaches {@code threshold} at some pixel, plus those the previous call's labels hold; the others get
     * Q = 0. 0 (the default) runs every class. Calls that ask for the KL divergence always run every class. See
     * crf-native/README.md "Class pruning" for the label agreement with the full CRF.
     *
     * @param threshold 0 (off) or a probability in (0, 1]
     */
    public void setClassPruning(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("class pruning threshold must be in [0, 1] (0 = off), got " + threshold);
        }
        synchronized (lock) {
            if (handle == 0) {
                throw new IllegalStateException("this DenseCrf is closed");
            }
            CrfLibrary.setClassPruning(handle, (float) threshold);
        }
    }

    /** Classes the last {@link #infer} call ran the mean field on (padded to a multiple of 8 when it pruned). */
    public int lastClassesComputed() {
        synchronized (lock) {
            return (int) report[6];
        }
    }

    /** Timings of the last {@link #infer} call. */
    public CrfTimings lastTimings() {
        synchronized (lock) {
            return new CrfTimings(report[0], report[1], report[2], report[3]);
        }
    }

    /**
     * The camera shift the last {@link Start#WARM_GATED} call followed (content at (x, y) was at (x - dx, y - dy) in
     * the previous frame); (0, 0) for a still camera, with {@link WarmGate#motionRange()} 0, and for other starts.
     */
    public CameraShift lastCameraShift() {
        synchronized (lock) {
            return new CameraShift((int) report[4], (int) report[5]);
        }
    }

    private static void check(String name, Buffer buffer, long elements, boolean optional, boolean writable) {
        if (buffer == null) {
            if (optional) {
                return;
            }
            throw new IllegalArgumentException(name + " is null");
        }
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(name + " must be a direct buffer (ByteBuffer.allocateDirect)");
        }
        if (writable && buffer.isReadOnly()) {
            throw new IllegalArgumentException(name + " is read-only but receives output");
        }
        if (buffer instanceof FloatBuffer fb && fb.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(
                    name + " must be in native byte order (ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder())"
                            + ".asFloatBuffer())");
        }
        if (buffer.remaining() < elements) {
            throw new IllegalArgumentException(
                    name + " has " + buffer.remaining() + " elements remaining, needs " + elements);
        }
    }

    /** Frees the native memory and threads; safe to call twice. */
    @Override
    public void close() {
        synchronized (lock) {
            long h = handle;
            handle = 0;
            if (h != 0) {
                CrfLibrary.destroy(h);
            }
        }
    }
}
