package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.FrameSegmenter;

/**
 * Stage 1: runs the model on each frame. Keeps one segmenter per frame size (a new one when the stream's size
 * changes) and, when no CRF follows, turns the scores into labels at the frame's size.
 */
final class InferenceHandler implements EventHandler<FrameSlot> {
    private final SizedSegmenter segmenter;
    private final boolean labelsHere;
    private final RunState state;
    private final StageClock clock = new StageClock();

    InferenceHandler(FrameSegmenter.Factory factory, boolean labelsHere, RunState state) {
        this.segmenter = new SizedSegmenter(factory);
        this.labelsHere = labelsHere;
        this.state = state;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        int w = slot.input.width();
        int h = slot.input.height();
        segmenter.segment(slot.input, slot.scores);
        slot.keyframe = true;
        state.keyframes.incrementAndGet();
        if (labelsHere) {
            slot.scores.argmax(w, h, slot.labelsForWrite());
        }
        long dt = System.nanoTime() - t0;
        slot.stageNanos[Stage.INFER.ordinal()] = dt;
        slot.stageCpuNanos[Stage.INFER.ordinal()] = segmenter.lastCpuNanos();
        clock.record(dt, segmenter.lastCpuNanos());
    }

    StageClock clock() {
        return clock;
    }

    @Override
    public void onShutdown() {
        segmenter.close();
    }
}
