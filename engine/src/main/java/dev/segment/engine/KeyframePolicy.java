package dev.segment.engine;

import dev.segment.config.KeyframeConfig;
import dev.segment.engine.motion.MotionEstimator.Motion;

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

    /** Why a frame is (or is not) a keyframe; its label is what statistics and metrics show. */
    public enum Reason {
        ALL("all"),
        START("start"),
        RESTART("restart"),
        SIZE("size"),
        CUT("cut"),
        INTERVAL("interval"),
        RESIDUAL("residual"),
        UNCERTAIN("uncertain"),
        CHANGE("change"),
        CARRIED("carried");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public boolean keyframe() {
            return this != CARRIED;
        }
    }

    /** The decisions that need no motion estimate; null when the motion has to decide. */
    public Reason beforeMotion(
            boolean haveKeyframe, boolean restarted, boolean sizeChanged, double cutDistance, int framesSinceKeyframe) {
        if (!haveKeyframe) {
            return Reason.START;
        }
        if (restarted) {
            return Reason.RESTART;
        }
        if (sizeChanged) {
            return Reason.SIZE;
        }
        if (cutDistance > config.sceneCut()) {
            return Reason.CUT;
        }
        if (framesSinceKeyframe >= config.maxInterval()) {
            return Reason.INTERVAL;
        }
        return null;
    }

    /** The decision once the motion from the frame back to its keyframe is measured. */
    public Reason afterMotion(Motion motion) {
        if (motion.residual() > config.residual()) {
            return Reason.RESIDUAL;
        }
        if (motion.untrusted() > config.uncertainty()) {
            return Reason.UNCERTAIN;
        }
        if (motion.change() > config.change()) {
            return Reason.CHANGE;
        }
        return Reason.CARRIED;
    }
}
