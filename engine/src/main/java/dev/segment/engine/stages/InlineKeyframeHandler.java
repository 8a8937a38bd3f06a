package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;

/**
 * Stage 1 with keyframes, for files: the model runs on keyframes only (see
 * {@link dev.segment.engine.keyframes.KeyframePolicy}), here, on the frame that needs it, so the output is the same for
 * the same input; every other frame gets the last keyframe's scores carried along the motion measured from it back
 * to that keyframe. The stages after it see a score grid for every frame either way.
 */
final class InlineKeyframeHandler implements EventHandler<FrameSlot> {
    private final KeyframeState keyframes;
    private final SizedSegmenter segmenter;
    private final RunState state;

    InlineKeyframeHandler(FrameSegmenter.Factory factory, KeyframeState keyframes, RunState state) {
        this.segmenter = new SizedSegmenter(factory);
        this.keyframes = keyframes;
        this.state = state;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        keyframes.look(slot);
        KeyframeReason reason = keyframes.beforeMotion(slot);
        boolean measured = reason == null;
        if (measured) {
            reason = keyframes.measure(slot);
        }
        slot.reason = reason;
        long modelNanos = 0;
        if (reason.keyframe()) {
            long t = System.nanoTime();
            segmenter.segment(slot.input, slot.scores);
            modelNanos = System.nanoTime() - t;
            keyframes.keyframeHere(slot, !KeyframeState.restartLike(reason), measured, modelNanos);
        } else {
            keyframes.carry(slot);
        }
        keyframes.finish(slot, t0, modelNanos);
    }

    @Override
    public void onShutdown() {
        segmenter.close();
        keyframes.close();
    }
}
