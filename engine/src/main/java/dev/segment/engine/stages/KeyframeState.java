package dev.segment.engine.stages;

import dev.segment.config.KeyframeConfig;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.ScoreGrid;
import dev.segment.engine.keyframes.Flow;
import dev.segment.engine.keyframes.KeyframePolicy;
import dev.segment.engine.keyframes.LumaImage;
import dev.segment.engine.keyframes.Motion;
import dev.segment.engine.keyframes.Propagator;

/**
 * What the keyframe stages share ({@link KeyframeChooser} and {@link KeyframeCarrier} for files,
 * {@link BackgroundKeyframeHandler} for live sources): the keyframe that frames are carried from, the luma of this
 * frame and the one before, the policy's steps, the propagation and the stage's clocks. The handlers differ in where
 * the model runs. Owns native memory until {@link #close()}.
 *
 * <p>Two sides, each used by one thread at a time: the <em>choosing</em> side ({@link #look}, {@link #ask},
 * {@link #chosen}: lumas, the policy, the keyframe's luma) and the <em>scores</em> side
 * ({@link #carry}, {@link #adoptHere}, {@link #finish}: the keyframe's scores). A frame's motion travels between them
 * on its slot ({@link FrameSlot#flow}), so a file's choosing side can run ahead of its scores side while the model
 * works on a keyframe. Within the {@link Propagator}, the choosing side uses the luma scaler and the motion
 * estimator, the scores side the warper: separate objects with separate scratch.
 */
final class KeyframeState implements AutoCloseable {
    /** The model's share when its scores on a keyframe are fused with the previous keyframe's carried to it. */
    static final float FUSE_WEIGHT = 0.5f;

    private final boolean labelsHere;
    private final RunState state;
    private final KeyframePolicy policy;
    private final Propagator propagator;
    private final StageClock inferClock = new StageClock();
    private final StageClock propagateClock = new StageClock();
    /** Live: the motion from a frame the model ran on earlier back to the keyframe before it. */
    private final Flow earlierFlow = new Flow();

    private LumaImage current = new LumaImage();
    private LumaImage previous = new LumaImage();
    private final ScoreGrid keyScores = new ScoreGrid();
    private final ScoreGrid carried = new ScoreGrid();
    private final LumaImage keyLuma = new LumaImage();
    // choosing side
    private boolean haveKeyframe;
    private int sinceKeyframe;
    private long index;
    private int width;
    private int height;
    private boolean sizeChanged;
    private double cut;
    private double need;
    // scores side
    private boolean haveKeyScores;

    KeyframeState(KeyframeConfig config, boolean labelsHere, RunState state) {
        this.labelsHere = labelsHere;
        this.state = state;
        this.policy = new KeyframePolicy(config);
        this.propagator = new Propagator(config);
    }

    /**
     * Nothing valid can be carried across such a keyframe (a start, a restart, a new size, a scene cut, or a picture
     * too small to measure motion on): the frame waits for the model, and its scores are not fused with the previous
     * keyframe's.
     */
    static boolean restartLike(KeyframeReason reason) {
        return reason == KeyframeReason.START
                || reason == KeyframeReason.RESTART
                || reason == KeyframeReason.SIZE
                || reason == KeyframeReason.CUT
                || reason == KeyframeReason.ALL;
    }

    /** First step for each frame: its luma at the working size, and whether its size changed or the shot cut. */
    void look(FrameSlot slot) {
        int w = slot.input.width();
        int h = slot.input.height();
        sizeChanged = haveKeyframe && (w != width || h != height);
        width = w;
        height = h;
        LumaImage t = previous;
        previous = current;
        current = t;
        propagator.luma(slot.input, current);
        cut = previous.isEmpty() || sizeChanged ? 0 : current.histogramDistance(previous);
    }

    /**
     * Choosing side, after {@link #look}: why this frame asks for the model, or {@code carried} when it does not; put
     * on the slot ({@link FrameSlot#reason}) too. The motion back to the keyframe is measured (into the slot's
     * {@link FrameSlot#flow}) when it decides, and also on a frame whose interval ran out, since a budget may refuse
     * that frame the model and then it is carried.
     */
    KeyframeReason ask(FrameSlot slot) {
        KeyframeReason reason = beforeMotion(slot);
        if (reason == null || reason == KeyframeReason.INTERVAL) {
            KeyframeReason afterMotion = measure(slot);
            if (reason == null) {
                reason = afterMotion;
            }
        }
        slot.reason = reason;
        return reason;
    }

    /** The decision that needs no motion (null when the motion decides); marks a scene cut on the slot. */
    private KeyframeReason beforeMotion(FrameSlot slot) {
        KeyframeReason reason = !Propagator.measurable(current)
                ? KeyframeReason.ALL // too small a picture to measure motion on: the model runs on every frame
                : policy.beforeMotion(haveKeyframe, slot.discontinuity, sizeChanged, cut, sinceKeyframe);
        slot.sceneCut = reason == KeyframeReason.CUT;
        return reason;
    }

    /**
     * Measures the motion from this frame back to the keyframe into the slot's {@link FrameSlot#flow}, puts its
     * figures on the slot (also on a keyframe the policy asks for) and returns the policy's decision on it.
     */
    private KeyframeReason measure(FrameSlot slot) {
        Motion motion = propagator.measure(current, keyLuma, slot.flow);
        double toFrame = (double) slot.input.width() / current.width();
        slot.motionX = motion.dx() * toFrame;
        slot.motionY = motion.dy() * toFrame;
        slot.residual = motion.residual();
        slot.untrusted = motion.untrusted();
        slot.change = motion.change();
        need = policy.need(motion, sinceKeyframe);
        return policy.afterMotion(motion);
    }

    /**
     * Choosing side, once per frame after the decision: a keyframe's luma becomes the one later frames' motion is
     * measured to; either way the frame is counted.
     */
    void chosen(boolean keyframe) {
        if (keyframe) {
            keyLuma.copyFrom(current);
            haveKeyframe = true;
            sinceKeyframe = 0;
        } else {
            sinceKeyframe++;
        }
        index++;
    }

    /** Scores side: carries the keyframe's scores to this frame along the motion {@link #measure} measured. */
    void carry(FrameSlot slot) {
        propagator.carry(keyScores, slot.flow, slot.input.width(), slot.input.height(), slot.scores);
    }

    /**
     * Scores side: the model's scores on this frame (in the slot) make it the keyframe. When the scene continues,
     * they are first fused with the previous keyframe's carried to this frame along the motion {@link #measure}
     * measured (see {@link Propagator#fuse}), so the labels do not jump at each keyframe.
     *
     * @param fuse     the scene continues (and {@link #measure} measured this frame)
     * @param nanos    the model's time
     * @param cpuNanos the model's CPU time
     */
    void adoptHere(FrameSlot slot, boolean fuse, long nanos, long cpuNanos) {
        if (fuse && haveKeyScores) {
            propagator.fuse(
                    slot.scores, keyScores, slot.flow, slot.input.width(), slot.input.height(), carried, FUSE_WEIGHT);
        }
        keyScores.copyFrom(slot.scores);
        haveKeyScores = true;
        slot.keyframe = true;
        state.keyframes.incrementAndGet();
        slot.stageCpuNanos[Stage.INFER.ordinal()] = cpuNanos;
        inferClock.record(nanos, cpuNanos);
    }

    /**
     * Live, both sides on one thread: the model's scores on an earlier frame (number {@code frameIndex}) become the
     * keyframe, fused with the keyframe before it carried there.
     */
    void keyframeEarlier(ScoreGrid scores, LumaImage luma, int w, int h, long frameIndex, long nanos, long cpuNanos) {
        if (haveKeyScores && keyLuma.width() == luma.width() && keyLuma.height() == luma.height()) {
            propagator.measure(luma, keyLuma, earlierFlow);
            propagator.fuse(scores, keyScores, earlierFlow, w, h, carried, FUSE_WEIGHT);
        }
        keyScores.copyFrom(scores);
        haveKeyScores = true;
        keyLuma.copyFrom(luma);
        sinceKeyframe = (int) Math.min(Integer.MAX_VALUE, index - frameIndex);
        state.keyframes.incrementAndGet();
        inferClock.record(nanos, cpuNanos);
    }

    /**
     * Scores side, last step for each frame: labels (when no CRF follows) and the stage's times.
     *
     * @param nanos      the propagation's time on this frame (the model's excluded)
     * @param cpuNanos   the propagation's CPU on the stage's threads (the model's own is on TensorFlow's threads)
     * @param modelNanos the model's time when it ran on this frame, else 0
     */
    void finish(FrameSlot slot, long nanos, long cpuNanos, long modelNanos) {
        if (labelsHere) {
            slot.scores.argmax(slot.input.width(), slot.input.height(), slot.labelsForWrite());
        }
        slot.stageNanos[Stage.INFER.ordinal()] = modelNanos;
        slot.stageNanos[Stage.PROPAGATE.ordinal()] = nanos;
        slot.stageCpuNanos[Stage.PROPAGATE.ordinal()] = cpuNanos;
        propagateClock.record(nanos, cpuNanos);
    }

    /** How badly the frame last {@link #measure measured} needs the model (see {@link KeyframePolicy#need}). */
    double need() {
        return need;
    }

    /** This frame's luma at the working size. */
    LumaImage luma() {
        return current;
    }

    /** This frame's number among the frames the choosing side has seen (counted by {@link #chosen}). */
    long index() {
        return index;
    }

    StageClock inferClock() {
        return inferClock;
    }

    StageClock propagateClock() {
        return propagateClock;
    }

    @Override
    public void close() {
        propagator.close();
    }
}
