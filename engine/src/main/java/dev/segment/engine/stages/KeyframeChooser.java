package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import dev.segment.engine.FrameSegmenter;
import dev.segment.engine.KeyframeReason;
import dev.segment.engine.keyframes.FrameBudget;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stage 1 with keyframes, for files: chooses the keyframes and sends them to the model, which runs on its own thread
 * while this stage goes on choosing for the frames after them; {@link KeyframeCarrier} (stage 2) waits for a keyframe's
 * scores and carries them to the frames that follow it. The policy's signals come from the pictures alone (luma,
 * motion back to the last keyframe chosen), so choosing ahead of the model gives the same keyframes, and the same
 * output, as waiting for each run would; but the motion measurement, the CRF and the encoder of the frames between
 * keyframes now run beside the model instead of after it.
 *
 * <p>The {@link FrameBudget} (in frames, so the output does not depend on the machine) caps the share of frames the
 * model runs on: a frame the thresholds send to the model while the budget is spent is carried (its {@code reason}
 * still says why it asked) and the next frame asks again.
 */
final class KeyframeChooser implements EventHandler<FrameSlot> {
    /** Model runs finish within this after the end of the run (one run is well under a second). */
    private static final long MODEL_DRAIN_SECONDS = 30;

    private final KeyframeState keyframes;
    private final FrameBudget budget;
    private final RunState state;
    // Used by the model thread only, one run at a time in the order the keyframes were chosen.
    private final SizedSegmenter segmenter;
    private final ExecutorService model;

    KeyframeChooser(
            FrameSegmenter.Factory factory, KeyframeState keyframes, FrameBudget budget, RunState state, String name) {
        this.segmenter = new SizedSegmenter(factory);
        this.keyframes = keyframes;
        this.budget = budget;
        this.state = state;
        this.model = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-model");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) {
        if (slot.endOfStream || state.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        long cpu0 = ThreadCpu.now();
        keyframes.look(slot);
        KeyframeReason reason = keyframes.ask(slot);
        boolean restart = KeyframeState.restartLike(reason);
        if (restart) {
            budget.force();
        }
        budget.tick();
        boolean keyframe = restart || (reason.keyframe() && budget.grant());
        if (keyframe) {
            slot.modelRun = model.submit(() -> {
                long t = System.nanoTime();
                segmenter.segment(slot.input, slot.scores);
                slot.modelNanos = System.nanoTime() - t;
                slot.modelCpuNanos = segmenter.lastCpuNanos();
                return null;
            });
        }
        keyframes.chosen(keyframe);
        slot.chooseNanos = System.nanoTime() - t0;
        slot.chooseCpuNanos = ThreadCpu.now() - cpu0;
    }

    @Override
    public void onShutdown() {
        model.execute(segmenter::close); // after the last run, on the thread that ran them
        model.shutdown();
        try {
            model.awaitTermination(MODEL_DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
