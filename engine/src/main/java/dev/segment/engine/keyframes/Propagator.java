package dev.segment.engine.keyframes;

import dev.segment.codecs.VideoFrame;
import dev.segment.config.KeyframeConfig;
import dev.segment.config.MotionModel;
import dev.segment.engine.ScoreGrid;

/**
 * Carries a keyframe's scores to a later frame: the frame's luma at the working size ({@link #luma}), the motion from
 * it back to the keyframe ({@link #measure}), and the keyframe's scores moved along that motion ({@link #carry}). The
 * keyframe stage runs it on every frame the model skips; {@code segment bench} times it alone.
 *
 * <p>Not thread-safe; owns native memory until {@link #close()}.
 */
public final class Propagator implements AutoCloseable {
    private final LumaScaler scaler;
    private final MotionEstimator estimator;
    private final ScoreWarper warper = new ScoreWarper();

    /** Uses the configuration's luma working width and motion model. */
    public Propagator(KeyframeConfig config) {
        this.scaler = new LumaScaler(config.flowWidth());
        this.estimator = new MotionEstimator(config.motion() == MotionModel.GLOBAL);
    }

    /** Whether motion can be measured on luma of this size (too small a picture: the model has to run on it). */
    public static boolean measurable(LumaImage luma) {
        return luma.width() >= MotionEstimator.MIN_SIZE && luma.height() >= MotionEstimator.MIN_SIZE;
    }

    /** Writes {@code frame}'s luma at the working size into {@code out}. */
    public void luma(VideoFrame frame, LumaImage out) {
        scaler.scale(frame, out);
    }

    /**
     * Measures the motion from {@code frame} back to {@code keyframe} (luma of the same size, see {@link #measurable})
     * into {@code flow}, and returns its figures.
     */
    public Motion measure(LumaImage frame, LumaImage keyframe, Flow flow) {
        return estimator.estimate(frame, keyframe, flow);
    }

    /**
     * Writes the keyframe's scores carried along {@code flow} (measured on the frame) into {@code out}, at twice the
     * keyframe grid's density (see {@link ScoreWarper}).
     *
     * @param frameWidth  the frame's size (the keyframe's too)
     * @param frameHeight its height
     */
    public void carry(ScoreGrid keyScores, Flow flow, int frameWidth, int frameHeight, ScoreGrid out) {
        warper.warp(keyScores, flow, frameWidth, frameHeight, out);
    }

    /**
     * On a new keyframe: fuses the model's scores with the previous keyframe's carried to it along {@code flow},
     * where they have a trustworthy source: {@code model = weight * model + (1 - weight) * carried}.
     *
     * @param model   the model's scores on the new keyframe, updated in place
     * @param carried receives the previous keyframe's scores carried to the model's grid (scratch the caller owns)
     * @param weight  the model's share, 0..1
     */
    public void fuse(
            ScoreGrid model,
            ScoreGrid previousKeyScores,
            Flow flow,
            int frameWidth,
            int frameHeight,
            ScoreGrid carried,
            float weight) {
        warper.warp(previousKeyScores, flow, frameWidth, frameHeight, model.stride(), carried);
        warper.fuse(model, carried, weight);
    }

    @Override
    public void close() {
        scaler.close();
        estimator.close();
    }
}
