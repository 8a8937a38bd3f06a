package dev.segment.crf;

import dev.segment.crf.internal.SceneCutDetector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * The CRF stage of one stream: keeps the previous frame's Q and warm-starts each frame from it, gated per pixel by
 * the new frame's evidence ({@link WarmGate}), with {@code warmIterations}; runs {@code coldIterations} from
 * softmax(-U) on the first frame and after a reset. It resets itself on a resolution or class-count change and on a
 * scene cut (colour-histogram distance above the threshold); callers reset it on reconnects and seeks.
 *
 * <p>Frames must come in order from one thread. Q is allocated on the first frame and again only when the frame size
 * or class count changes. Close it to free the native CRF.
 */
public final class TemporalCrf implements AutoCloseable {
    private final TemporalCrfConfig config;
    private final DenseCrf crf;
    private final SceneCutDetector sceneCuts = new SceneCutDetector();
    private FloatBuffer q;
    private int width;
    private int height;
    private int classes;
    private boolean hasQ;
    private String pendingReset = "first frame";
    private boolean lastWarm;
    private int lastIterations;
    private String lastResetReason;
    private double lastSceneDistance;
    private long frames;
    private long resets;

    public TemporalCrf(TemporalCrfConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.crf = DenseCrf.open(config.params(), config.backend(), config.threads());
        try {
            crf.setClassPruning(config.classPruning());
        } catch (RuntimeException e) {
            crf.close();
            throw e;
        }
    }

    /**
     * Refines one frame.
     *
     * @param rgb width*height*3 bytes (direct, from its position)
     * @param probabilitiesHwc width*height*classes softmax probabilities, pixel-major (direct, native order)
     * @param labelsOut width*height bytes receiving the labels (direct)
     * @return the number of mean-field iterations run ({@link #lastWasWarm()} says whether from the previous Q)
     */
    public int process(
            ByteBuffer rgb, int width, int height, FloatBuffer probabilitiesHwc, int classes, ByteBuffer labelsOut) {
        return process(rgb, width, height, probabilitiesHwc, ScoreKind.PROBABILITIES, classes, labelsOut);
    }

    /**
     * Refines one frame whose scores are of the given kind ({@link ScoreKind#LOGITS} spares the caller the softmax).
     *
     * @see #process(ByteBuffer, int, int, FloatBuffer, int, ByteBuffer)
     */
    public int process(
            ByteBuffer rgb,
            int width,
            int height,
            FloatBuffer scoresHwc,
            ScoreKind kind,
            int classes,
            ByteBuffer labelsOut) {
        Objects.requireNonNull(scoresHwc, "scoresHwc");
        Objects.requireNonNull(kind, "kind");
        return process(
                rgb,
                width,
                height,
                classes,
                labelsOut,
                (start, iterations) -> crf.infer(
                        rgb,
                        width,
                        height,
                        classes,
                        scoresHwc,
                        kind,
                        q,
                        start,
                        config.gate(),
                        iterations,
                        labelsOut,
                        null));
    }

    /**
     * Refines one frame whose scores are the model's low-resolution logits grid, upsampled to {@code width x height}
     * inside the CRF (see {@link LogitGrid}): no full-resolution score map is made.
     *
     * @see #process(ByteBuffer, int, int, FloatBuffer, int, ByteBuffer)
     */
    public int process(ByteBuffer rgb, int width, int height, LogitGrid grid, ByteBuffer labelsOut) {
        Objects.requireNonNull(grid, "grid");
        return process(
                rgb,
                width,
                height,
                grid.classes(),
                labelsOut,
                (start, iterations) ->
                        crf.infer(rgb, width, height, grid, q, start, config.gate(), iterations, labelsOut, null));
    }

    /** One frame's mean field, given its start and iterations. */
    private interface Inference {
        void run(Start start, int iterations);
    }

    private int process(ByteBuffer rgb, int width, int height, int classes, ByteBuffer labelsOut, Inference inference) {
        Objects.requireNonNull(rgb, "rgb");
        Objects.requireNonNull(labelsOut, "labelsOut");
        if (width <= 0 || height <= 0 || classes < 1 || classes > 256) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " with " + classes
                    + " classes: sizes must be positive, classes <= 256");
        }
        if (rgb.remaining() < (long) width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.remaining() + " bytes remaining, a " + width + "x"
                    + height + " frame needs " + (long) width * height * 3);
        }
        String reason = pendingReset;
        if (width != this.width || height != this.height || classes != this.classes) {
            if (hasQ && reason == null) {
                reason = "resolution change " + this.width + "x" + this.height + "x" + this.classes + " -> " + width
                        + "x" + height + "x" + classes;
            }
            allocate(width, height, classes);
            sceneCuts.reset();
        }
        ByteBuffer frame = rgb.slice();
        lastSceneDistance = sceneCuts.distance(frame, width, height);
        if (reason == null && lastSceneDistance > config.sceneCutThreshold()) {
            reason = String.format(
                    java.util.Locale.ROOT,
                    "scene cut (colour histogram distance %.3f > %.3f)",
                    lastSceneDistance,
                    config.sceneCutThreshold());
        }
        boolean warm = reason == null && hasQ && config.warmStart();
        int iterations = warm ? config.warmIterations() : config.coldIterations();
        q.position(0);
        inference.run(warm ? Start.WARM_GATED : Start.COLD, iterations);
        hasQ = true;
        pendingReset = null;
        lastWarm = warm;
        lastIterations = iterations;
        lastResetReason = reason;
        frames++;
        if (reason != null) {
            resets++;
        }
        return iterations;
    }

    /** The next frame starts cold; the reason (e.g. "reconnect", "seek") is reported by {@link #lastResetReason()}. */
    public void reset(String reason) {
        Objects.requireNonNull(reason, "reason");
        pendingReset = reason;
        sceneCuts.reset();
    }

    private void allocate(int w, int h, int c) {
        long floats = (long) w * h * c;
        if (floats > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("frame " + w + "x" + h + " with " + c + " classes is too large for Q");
        }
        q = ByteBuffer.allocateDirect((int) floats * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        width = w;
        height = h;
        classes = c;
        hasQ = false;
    }

    /** Whether the last frame was warm-started from the previous Q. */
    public boolean lastWasWarm() {
        return lastWarm;
    }

    /** Iterations run on the last frame. */
    public int lastIterations() {
        return lastIterations;
    }

    /** Why the last frame started cold ("first frame", "scene cut (...)", "resolution change ...", a caller's reason),
     * or null when it was warm (or warm start is off). */
    public String lastResetReason() {
        return lastResetReason;
    }

    /** The colour-histogram distance of the last frame to the one before (0 after a reset). */
    public double lastSceneDistance() {
        return lastSceneDistance;
    }

    /** Frames processed and cold starts among them. */
    public long frames() {
        return frames;
    }

    public long coldStarts() {
        return resets;
    }

    /** The last frame's Q (read-only view, pixel-major), or null before the first frame. */
    public FloatBuffer q() {
        return q == null ? null : q.asReadOnlyBuffer().position(0);
    }

    /** The camera shift the last frame's warm start followed ({@link CameraShift#NONE} after a cold start). */
    public CameraShift lastCameraShift() {
        return crf.lastCameraShift();
    }

    /** Classes the last frame's mean field ran on (see {@link TemporalCrfConfig#classPruning()}). */
    public int lastClassesComputed() {
        return crf.lastClassesComputed();
    }

    /** Native timings of the last frame (lattice, unary and start, iterations, total). */
    public CrfTimings lastTimings() {
        return crf.lastTimings();
    }

    public String backendName() {
        return crf.backendName();
    }

    public String backendReason() {
        return crf.backendReason();
    }

    public TemporalCrfConfig config() {
        return config;
    }

    @Override
    public void close() {
        crf.close();
    }
}
