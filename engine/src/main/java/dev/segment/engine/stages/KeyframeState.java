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
 * What the two keyframe stages share ({@link InlineKeyframeHandler} for files, {@link BackgroundKeyframeHandler} for
 * live sources): the keyframe that frames are carried from, the luma of this frame and the one before, the policy's
 * steps, the propagation and the stage's clocks. The handlers differ only in where the model runs. Used by the stage's
 * thread only; owns native memory until {@link #close()}.
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
    /** The motion last measured: from the current frame (or the one adopted as keyframe) back to the keyframe. */
    private final Flow flow = new Flow();

    private LumaImage current = new LumaImage();
    private LumaImage previous = new LumaImage();
    private final ScoreGrid keyScores = new ScoreGrid();
    private final ScoreGrid carried = new ScoreGrid();
    private final LumaImage keyLuma = new LumaImage();
    private boolean haveKeyframe;
    private int sinceKeyframe;
    private long index;
    private int width;
    private int height;
    private boolean sizeChanged;
    private double cut;
    private double need;

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

    /** The decision that needs no motion (null when the motion decides); marks a scene cut on the slot. */
    KeyframeReason beforeMotion(FrameSlot slot) {
        KeyframeReason reason = !Propagator.measurable(current)
                ? KeyframeReason.ALL // too small a picture to measure motion on: the model runs on every frame
                : policy.beforeMotion(haveKeyframe, slot.discontinuity, sizeChanged, cut, sinceKeyframe);
        slot.sceneCut = reason == KeyframeReason.CUT;
        return reason;
    }

    /**
     * Measures the motion from this frame back to the keyframe, puts its figures on the slot (also on a keyframe the
     * policy asks for) and returns the policy's decision on it.
     */
    KeyframeReason measure(FrameSlot slot) {
        Motion motion = propagator.measure(current, keyLuma, flow);
        double toFrame = (double) slot.input.width() / current.width();
        slot.motionX = motion.dx() * toFrame;
        slot.motionY = motion.dy() * toFrame;
        slot.residual = motion.residual();
        slot.untrusted = motion.untrusted();
        slot.change = motion.change();
        need = policy.need(motion, sinceKeyframe);
        return policy.afterMotion(motion);
    }

    /** Carries the keyframe's scores to this frame along the motion {@link #measure} measured. */
    void carry(FrameSlot slot) {
        propagator.carry(keyScores, flow, slot.input.width(), slot.input.height(), slot.scores);
        sinceKeyframe++;
    }

    /**
     * The model's scores on this frame (in the slot) make it the keyframe.
     *
     * @param fuse     the scene continues: fuse with the previous keyframe's scores carried here
     * @param measured {@link #measure} already measured this frame's motion back to the previous keyframe
     * @param nanos    the model's time
     * @param cpuNanos the model's CPU time
     */
    void keyframeHere(FrameSlot slot, boolean fuse, boolean measured, long nanos, long cpuNanos) {
        adopt(slot.scores, current, slot.input.width(), slot.input.height(), fuse, measured);
        sinceKeyframe = 0;
        slot.keyframe = true;
        state.keyframes.incrementAndGet();
        slot.stageCpuNanos[Stage.INFER.ordinal()] = cpuNanos;
        inferClock.record(nanos, cpuNanos);
    }

    /** Live: the model's scores on an earlier frame (number {@code frameIndex}) become the keyframe. */
    void keyframeEarlier(ScoreGrid scores, LumaImage luma, int w, int h, long frameIndex, long nanos, long cpuNanos) {
        adopt(scores, luma, w, h, true, false);
        sinceKeyframe = (int) Math.min(Integer.MAX_VALUE, index - frameIndex);
        state.keyframes.incrementAndGet();
        inferClock.record(nanos, cpuNanos);
    }

    /**
     * Makes the model's scores on a frame the keyframe that later frames are carried from. When the scene continues,
     * the model's scores are first fused with the previous keyframe's carried to this frame (see
     * {@link Propagator#fuse}), so the labels do not jump at each keyframe.
     */
    private void adopt(ScoreGrid model, LumaImage luma, int w, int h, boolean fuse, boolean measured) {
        if (fuse && haveKeyframe && keyLuma.width() == luma.width() && keyLuma.height() == luma.height()) {
            if (!measured) {
                propagator.measure(luma, keyLuma, flow);
            }
            propagator.fuse(model, keyScores, flow, w, h, carried, FUSE_WEIGHT);
        }
        keyScores.copyFrom(model);
        keyLuma.copyFrom(luma);
        haveKeyframe = true;
    }

    /** Last step for each frame: labels (when no CRF follows) and the stage's times. */
    void finish(FrameSlot slot, long startNanos, long startCpu, long modelNanos) {
        index++;
        if (labelsHere) {
            slot.scores.argmax(slot.input.width(), slot.input.height(), slot.labelsForWrite());
        }
        long total = System.nanoTime() - startNanos;
        slot.stageNanos[Stage.INFER.ordinal()] = modelNanos; // 0 unless the model ran here (the slot is a keyframe)
        slot.stageNanos[Stage.PROPAGATE.ordinal()] = total - modelNanos;
        // The model's own CPU is on TensorFlow's threads, not this one: this is the propagation's (and the copy of a
        // frame handed to the model).
        slot.stageCpuNanos[Stage.PROPAGATE.ordinal()] = ThreadCpu.now() - startCpu;
        propagateClock.record(
                slot.stageNanos[Stage.PROPAGATE.ordinal()], slot.stageCpuNanos[Stage.PROPAGATE.ordinal()]);
    }

    /** How badly the frame last {@link #measure measured} needs the model (see {@link KeyframePolicy#need}). */
    double need() {
        return need;
    }

    /** This frame's luma at the working size. */
    LumaImage luma() {
        return current;
    }

    /** This frame's number among the frames the stage has seen. */
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
