package dev.segment.crf;

import dev.segment.config.CrfBackend;
import java.util.Objects;

/**
 * Configuration of a {@link TemporalCrf}.
 *
 * @param coldIterations mean-field iterations on a cold start (first frame, reset, scene cut, resolution change),
 *     1..100
 * @param warmIterations iterations when warm-started from the previous frame's Q, 0..100
 * @param params kernel parameters
 * @param threads CPU threads, 0 = all cores
 * @param backend AUTO, CPU or CUDA
 * @param sceneCutThreshold colour-histogram distance in [0, 1] above which a frame starts cold
 * @param warmStart false runs every frame cold
 * @param gate how the previous Q is gated per pixel on a warm start
 * @param classPruning the mean field runs only on the classes whose probability reaches this somewhere in the frame,
 *     plus those labelling the previous frame ({@link DenseCrf#setClassPruning}); 0 runs every class, at most 1
 */
public record TemporalCrfConfig(
        int coldIterations,
        int warmIterations,
        CrfParams params,
        int threads,
        CrfBackend backend,
        double sceneCutThreshold,
        boolean warmStart,
        WarmGate gate,
        double classPruning) {

    /** Default scene-cut threshold: see crf-native/README.md for the distances measured on clips. */
    public static final double DEFAULT_SCENE_CUT_THRESHOLD = 0.5;

    /**
     * The class-pruning threshold the pipeline uses (see crf-native/README.md "Class pruning" for its label agreement
     * with all classes on DeepLab frames). {@link #defaults()} leaves pruning off: on exactly uniform evidence (the
     * fixtures' unannotated pixels) the pruned warm start keeps more of a departed object's labels than the full one.
     */
    public static final double PIPELINE_CLASS_PRUNING = 0.05;

    public TemporalCrfConfig {
        if (coldIterations < 1 || coldIterations > 100) {
            throw new IllegalArgumentException("coldIterations must be in 1..100, got " + coldIterations);
        }
        if (warmIterations < 0 || warmIterations > 100) {
            throw new IllegalArgumentException("warmIterations must be in 0..100, got " + warmIterations);
        }
        Objects.requireNonNull(params, "params");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        Objects.requireNonNull(backend, "backend");
        if (!(sceneCutThreshold >= 0 && sceneCutThreshold <= 1)) {
            throw new IllegalArgumentException("sceneCutThreshold must be in [0, 1], got " + sceneCutThreshold);
        }
        Objects.requireNonNull(gate, "gate");
        if (!(classPruning >= 0 && classPruning <= 1)) {
            throw new IllegalArgumentException("classPruning must be in [0, 1] (0 = off), got " + classPruning);
        }
    }

    /**
     * 5 cold and 1 warm iterations, the pipeline's kernel defaults, all cores, AUTO backend, warm start on, every
     * class computed.
     */
    public static TemporalCrfConfig defaults() {
        return new TemporalCrfConfig(
                5,
                1,
                CrfParams.pipelineDefault(),
                0,
                CrfBackend.AUTO,
                DEFAULT_SCENE_CUT_THRESHOLD,
                true,
                WarmGate.DEFAULT,
                0);
    }

    public TemporalCrfConfig withIterations(int cold, int warm) {
        return new TemporalCrfConfig(
                cold, warm, params, threads, backend, sceneCutThreshold, warmStart, gate, classPruning);
    }

    public TemporalCrfConfig withParams(CrfParams p) {
        return new TemporalCrfConfig(
                coldIterations, warmIterations, p, threads, backend, sceneCutThreshold, warmStart, gate, classPruning);
    }

    public TemporalCrfConfig withThreads(int t) {
        return new TemporalCrfConfig(
                coldIterations, warmIterations, params, t, backend, sceneCutThreshold, warmStart, gate, classPruning);
    }

    public TemporalCrfConfig withBackend(CrfBackend b) {
        return new TemporalCrfConfig(
                coldIterations, warmIterations, params, threads, b, sceneCutThreshold, warmStart, gate, classPruning);
    }

    public TemporalCrfConfig withWarmStart(boolean on) {
        return new TemporalCrfConfig(
                coldIterations, warmIterations, params, threads, backend, sceneCutThreshold, on, gate, classPruning);
    }

    public TemporalCrfConfig withSceneCutThreshold(double t) {
        return new TemporalCrfConfig(
                coldIterations, warmIterations, params, threads, backend, t, warmStart, gate, classPruning);
    }

    /** The class-pruning threshold (0 = every class). */
    public TemporalCrfConfig withClassPruning(double threshold) {
        return new TemporalCrfConfig(
                coldIterations,
                warmIterations,
                params,
                threads,
                backend,
                sceneCutThreshold,
                warmStart,
                gate,
                threshold);
    }

    public TemporalCrfConfig withGate(WarmGate g) {
        return new TemporalCrfConfig(
                coldIterations,
                warmIterations,
                params,
                threads,
                backend,
                sceneCutThreshold,
                warmStart,
                g,
                classPruning);
    }
}
