package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.keyframes.FrameBudget;

/**
 * Stage 1 with keyframes, for files: the model runs on keyframes only (see
 * {@link dev.segment.engine.keyframes.KeyframePolicy}), here, on the frame that needs it, so the output is the same for
 * the same input; every other frame gets the last keyframe's scores carried along the motion measured from it back
 * to that keyframe. The stages after it see a score grid for every frame either way.
 *
 * <p>The {@link FrameBudget} (in frames, so the output does not depend on the machine) caps the share of frames the
 * model runs on: a frame the thresholds send to the model while the budget is spent is carried (its {@code reason}
 * still says why it asked) and the next frame asks again.
 */
final class InlineKeyframeHandler implements EventHandler<FrameSlot> {
    private final KeyframeState keyframes;
    private final SizedSegmenter segmenter;
    private final FrameBudget budget;
    private final RunState state;

    InlineKeyframeHandler(FrameSegmenter.Factory factory, KeyframeState keyframes, FrameBudget budget, RunState state) {
        this.segmenter = new SizedSegmenter(factory);
        this.keyframes = keyframes;
        this.budget = budget;
        this.state = state;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = ThreadCpu.now();
        keyframes.look(slot);
        KeyframeReason reason = keyframes.beforeMotion(slot);
        boolean measured = reason == null || reason == KeyframeReason.INTERVAL; // an interval may be refused
        if (measured) {
            KeyframeReason afterMotion = keyframes.measure(slot);
            if (reason == null) {
                reason = afterMotion;
            }
        }
        slot.reason = reason;
        boolean restart = KeyframeState.restartLike(reason);
        if (restart) {
            budget.force();
        }
        budget.tick();
        long modelNanos = 0;
        long modelCpuHere = 0; // the model's CPU on this thread, counted as the model's and not the propagation's
        if (restart || (reason.keyframe() && budget.grant())) {
            long t = System.nanoTime();
            segmenter.segment(slot.input, slot.scores);
            modelNanos = System.nanoTime() - t;
            modelCpuHere = segmenter.lastCallerCpuNanos();
            keyframes.keyframeHere(slot, !restart, measured, modelNanos, segmenter.lastCpuNanos());
        } else {
            keyframes.carry(slot);
        }
        keyframes.finish(slot, t0, cpu0 + modelCpuHere, modelNanos);
    }

    @Override
    public void onShutdown() {
        segmenter.close();
        keyframes.close();
    }
}
