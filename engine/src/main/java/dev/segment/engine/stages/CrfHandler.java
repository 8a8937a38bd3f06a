package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.engine.FrameReport.Stage;
import dev.segment.engine.LabelRefiner;

/**
 * Stage 2: refines labels with the CRF, strictly in frame order, keeping the temporal state of the stream. Resets
 * that state when the source reports a discontinuity (reconnect, seek) or the frame size changes.
 */
final class CrfHandler implements EventHandler<FrameSlot> {
    private final LabelRefiner refiner;
    private final RunState state;
    private final StageClock clock = new StageClock();
    private int width;
    private int height;

    CrfHandler(LabelRefiner refiner, RunState state) {
        this.refiner = refiner;
        this.state = state;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = ThreadCpu.now();
        int w = slot.input.width();
        int h = slot.input.height();
        if (slot.discontinuity) {
            refiner.reset("source discontinuity (reconnect or seek)");
        } else if (slot.sceneCut) {
            refiner.reset("scene cut");
        } else if (w != width || h != height) {
            refiner.reset("frame size changed to " + w + "x" + h);
        }
        width = w;
        height = h;
        LabelRefiner.Result r = refiner.refine(slot.input, slot.scores, slot.labelsForWrite());
        slot.crfIterations = r.iterations();
        slot.crfWarm = r.warm();
        slot.crfWidth = r.gridWidth();
        slot.crfHeight = r.gridHeight();
        long dt = System.nanoTime() - t0;
        slot.stageNanos[Stage.CRF.ordinal()] = dt;
        slot.stageCpuNanos[Stage.CRF.ordinal()] = ThreadCpu.now() - cpu0;
        clock.record(dt, slot.stageCpuNanos[Stage.CRF.ordinal()]);
    }

    StageClock clock() {
        return clock;
    }

    @Override
    public void onShutdown() {
        refiner.close();
    }
}
