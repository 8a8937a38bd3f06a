package dev.segment.engine.keyframes;

import dev.segment.config.KeyframeConfig;
import dev.segment.engine.KeyframeReason;

/**
 * Decides, per frame and from cheap signals only, whether the model runs on it (a keyframe) or the last keyframe's
 * scores are carried to it along the motion. Training-free: every signal is a measurement with a threshold from the
 * {@code keyframes} configuration.
 *
 * <p>In order: no keyframe yet, a restart of the stream (reconnect, seek) or a new frame size; a scene cut (the luma
 * histogram jumps between consecutive frames); the maximum interval; the warp residual (the keyframe moved along the
 * measured motion does not look like the frame); the share of the frame whose carried scores have no trustworthy
 * source (content that entered, was uncovered, or that the motion does not explain); a local change (one block of the
 * frame that the warped keyframe does not explain: a new object walking in over a still background).
 */
public final class KeyframePolicy {
    private final KeyframeConfig config;

    public KeyframePolicy(KeyframeConfig config) {
        this.config = config;
    }

    /** The decisions that need no motion estimate; null when the motion has to decide. */
    public KeyframeReason beforeMotion(
            boolean haveKeyframe, boolean restarted, boolean sizeChanged, double cutDistance, int framesSinceKeyframe) {
        if (!haveKeyframe) {
            return KeyframeReason.START;
        }
        if (restarted) {
            return KeyframeReason.RESTART;
        }
        if (sizeChanged) {
            return KeyframeReason.SIZE;
        }
        if (cutDistance > config.sceneCut()) {
            return KeyframeReason.CUT;
        }
        if (framesSinceKeyframe >= config.maxInterval()) {
            return KeyframeReason.INTERVAL;
        }
        return null;
    }

    /**
     * How badly the frame needs the model, to rank frames (and streams) against each other when the model cannot run
     * on all that ask: the largest of each signal's share of its threshold, and of the interval's. 1 or more exactly
     * when {@link #afterMotion} or the interval asks for a keyframe.
     */
    public double need(Motion motion, int framesSinceKeyframe) {
        double n = (double) framesSinceKeyframe / config.maxInterval();
        n = Math.max(n, ratio(motion.residual(), config.residual()));
        n = Math.max(n, ratio(motion.untrusted(), config.uncertainty()));
        return Math.max(n, ratio(motion.change(), config.change()));
    }

    /** {@code value / threshold}, just above 1 when both are 0 and the value is above it. */
    private static double ratio(double value, double threshold) {
        return threshold > 0 ? value / threshold : value > 0 ? Double.MAX_VALUE : 0;
    }

    /** The decision once the motion from the frame back to its keyframe is measured. */
    public KeyframeReason afterMotion(Motion motion) {
        if (motion.residual() > config.residual()) {
            return KeyframeReason.RESIDUAL;
        }
        if (motion.untrusted() > config.uncertainty()) {
            return KeyframeReason.UNCERTAIN;
        }
        if (motion.change() > config.change()) {
            return KeyframeReason.CHANGE;
        }
        return KeyframeReason.CARRIED;
    }
}
