package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import java.util.concurrent.ExecutionException;

/**
 * Stage 2 with keyframes, for files (see {@link KeyframeChooser}): a keyframe waits for the model's scores and becomes
 * the keyframe later frames are carried from (fused with the previous one's carried to it, unless nothing valid can
 * be carried across it); every other frame gets the keyframe's scores carried along the motion the chooser measured.
 * The stages after it see a score grid for every frame either way.
 */
final class KeyframeCarrier implements EventHandler<FrameSlot> {
    private final KeyframeState keyframes;
    private final RunState state;

    KeyframeCarrier(KeyframeState keyframes, RunState state) {
        this.keyframes = keyframes;
        this.state = state;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        if (slot.endOfStream) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = ThreadCpu.now();
        long waited = 0;
        if (slot.modelRun != null) {
            // Waited for even when the run failed elsewhere: the model reads this slot's frame until it returns.
            long w = System.nanoTime();
            try {
                slot.modelRun.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            } finally {
                waited = System.nanoTime() - w;
            }
        }
        if (state.failed()) {
            return;
        }
        if (slot.modelRun != null) {
            keyframes.adoptHere(slot, !KeyframeState.restartLike(slot.reason), slot.modelNanos, slot.modelCpuNanos);
        } else {
            keyframes.carry(slot);
        }
        keyframes.finish(
                slot,
                slot.chooseNanos + System.nanoTime() - t0 - waited,
                slot.chooseCpuNanos + ThreadCpu.now() - cpu0,
                slot.modelNanos);
    }

    @Override
    public void onShutdown() {
        keyframes.close();
    }
}
