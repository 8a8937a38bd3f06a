package dev.segment.config;

import dev.segment.config.internal.Check;

/**
 * Keyframe inference: the model runs on keyframes only and its scores are carried to the frames between them along
 * the motion measured between the keyframe and each frame (the CRF, when on, refines every frame).
 *
 * @param mode {@code auto} (keyframes chosen per frame) or {@code all} (the model on every frame)
 * @param maxInterval most frames from one keyframe to the next, 1..300 (1 behaves like {@code all})
 * @param residual mean absolute luma difference (0..255) between a frame and the keyframe warped onto it above which
 *     the motion no longer explains the frame and a keyframe is taken, 0..255
 * @param uncertainty share of the frame (0..1) whose carried scores have no trustworthy source (left the picture,
 *     occluded, or badly warped) above which a keyframe is taken
 * @param change share (0..1) of any one of the frame's 8x8 blocks that the warped keyframe does not explain above
 *     which a keyframe is taken (a new object arriving over a still background changes one block, not the frame)
 * @param sceneCut luma-histogram distance (0..1) between consecutive frames above which the frame is a scene cut: a
 *     keyframe, and the CRF's warm start is dropped
 * @param motion {@code dense} (optical flow) or {@code global} (one translation per frame)
 * @param flowWidth width in pixels at which the motion is measured (the frame is scaled down to it), 64..1920
 * @param budget files: the most share of the frames (0.01..1) the model runs on besides the start, restarts, new sizes
 *     and scene cuts, which always get it; a frame the thresholds send to the model while the budget is spent is
 *     carried and asks again on the next frame. 1 leaves the thresholds alone
 * @param liveDuty live sources: the most share of the time (0.05..1) the model may run; below it the share follows
 *     what the stream's other stages leave (it goes down while frames are dropped and back up while none are)
 */
public record KeyframeConfig(
        KeyframeMode mode,
        int maxInterval,
        double residual,
        double uncertainty,
        double change,
        double sceneCut,
        MotionModel motion,
        int flowWidth,
        double budget,
        double liveDuty) {
    public KeyframeConfig {
        Check.notNull("mode", mode);
        Check.between("maxInterval", maxInterval, 1, 300);
        Check.between("residual", residual, 0, 255);
        Check.between("uncertainty", uncertainty, 0, 1);
        Check.between("change", change, 0, 1);
        Check.between("sceneCut", sceneCut, 0, 1);
        Check.notNull("motion", motion);
        Check.between("flowWidth", flowWidth, 64, 1920);
        Check.between("budget", budget, 0.01, 1);
        Check.between("liveDuty", liveDuty, 0.05, 1);
    }
}
