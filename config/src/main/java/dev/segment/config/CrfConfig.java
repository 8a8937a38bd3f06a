package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * DenseCRF refinement of the model's scores.
 *
 * @param enabled run the CRF at all
 * @param iterations mean-field iterations on a cold start (first frame, scene cut, resolution change), 1..100
 * @param warmIterations mean-field iterations when warm-started from the previous frame, 0..100
 * @param warmStart start from the previous frame's Q when the scene continues
 * @param gaussian smoothness kernel
 * @param bilateral appearance kernel
 * @param scale CRF resolution as a fraction of the frame, 0 &lt; scale &lt;= 1
 * @param maxPixels most pixels the CRF refines per frame: a frame larger than this (after {@code scale}) is refined
 *     at the largest scale that fits and its labels are scaled back; 0 = no limit, else 1024..100000000
 * @param minPixels live sources only: the fewest pixels the CRF goes down to when it cannot keep up with the camera
 *     (its grid is lowered step by step while its time per frame exceeds most of the time between camera frames, and
 *     raised again when there is room); 0, or a value at or above {@code maxPixels}, keeps the CRF at {@code maxPixels}
 *     always; else 1024..100000000. Files are always refined at {@code maxPixels}: the same input gives the same output
 * @param threads CPU threads, 0 means all cores
 * @param backend which implementation runs
 * @param sceneCutThreshold frame difference (0..1) above which the warm start is dropped
 * @param temporal the warm start's temporal term
 * @param cameraMotion largest camera pan or tilt between consecutive frames, in pixels at CRF resolution, that the warm
 *     start follows (it then compares each pixel with where its content was), 0..256; 0 assumes a still camera
 */
public record CrfConfig(
        boolean enabled,
        int iterations,
        int warmIterations,
        boolean warmStart,
        GaussianKernel gaussian,
        BilateralKernel bilateral,
        double scale,
        int maxPixels,
        int minPixels,
        int threads,
        CrfBackend backend,
        double sceneCutThreshold,
        TemporalKernel temporal,
        int cameraMotion) {
    public CrfConfig {
        Check.between("iterations", iterations, 1, 100);
        Check.between("warmIterations", warmIterations, 0, 100);
        Check.notNull("gaussian", gaussian);
        Check.notNull("bilateral", bilateral);
        Check.fraction("scale", scale);
        Check.sentinelOrAtLeast("maxPixels", maxPixels, 0, "no limit", 1024);
        Check.between("maxPixels", maxPixels, 0, 100_000_000);
        Check.sentinelOrAtLeast("minPixels", minPixels, 0, "never lower the CRF grid", 1024);
        Check.between("minPixels", minPixels, 0, 100_000_000);
        Check.atLeast("threads", threads, 0);
        Check.notNull("backend", backend);
        Check.between("sceneCutThreshold", sceneCutThreshold, 0, 1);
        Check.notNull("temporal", temporal);
        Check.between("cameraMotion", cameraMotion, 0, 256);
    }

    /**
     * The CRF's scale for a frame of {@code width x height}: {@code scale}, lowered so that the CRF grid holds at most
     * {@code maxPixels} pixels.
     */
    public double scaleFor(int width, int height) {
        return scaleFor(width, height, maxPixels);
    }

    /** Like {@link #scaleFor(int, int)} with another pixel limit ({@code limit} 0 = none). */
    public double scaleFor(int width, int height, int limit) {
        double pixels = (double) width * height * scale * scale;
        if (limit == 0 || pixels <= limit) {
            return scale;
        }
        return scale * Math.sqrt(limit / pixels);
    }

    /** This configuration with another {@code maxPixels}. */
    public CrfConfig withMaxPixels(int pixels) {
        return new CrfConfig(
                enabled,
                iterations,
                warmIterations,
                warmStart,
                gaussian,
                bilateral,
                scale,
                pixels,
                minPixels,
                threads,
                backend,
                sceneCutThreshold,
                temporal,
                cameraMotion);
    }

    /** This configuration with another {@code minPixels}. */
    public CrfConfig withMinPixels(int pixels) {
        return new CrfConfig(
                enabled,
                iterations,
                warmIterations,
                warmStart,
                gaussian,
                bilateral,
                scale,
                maxPixels,
                pixels,
                threads,
                backend,
                sceneCutThreshold,
                temporal,
                cameraMotion);
    }

    /**
     * Whether a live source's CRF may lower its grid below {@code maxPixels} to keep up: {@code minPixels} is set and
     * below the limit.
     */
    public boolean adapts() {
        return minPixels > 0 && (maxPixels == 0 || minPixels < maxPixels);
    }
}
