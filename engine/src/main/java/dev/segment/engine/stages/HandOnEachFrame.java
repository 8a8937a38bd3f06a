package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import java.util.function.LongConsumer;

/**
 * A stage as the ring runs it: each frame goes on to the next stage (and a slot the last stage is done with goes back
 * to the source) as soon as the stage is done with it. The Disruptor's batch processor publishes a stage's progress
 * only at the end of a batch, and a stage that fell behind takes every frame waiting for it as one batch: on a file in
 * keyframe mode the output stage then gave the ring's 16 slots back at once, after encoding all of them, and the model
 * stood idle for about a second every 16 frames waiting for new frames to be chosen.
 */
final class HandOnEachFrame implements EventHandler<FrameSlot> {
    private final EventHandler<FrameSlot> stage;
    private final LongConsumer done;
    private Sequence progress;

    HandOnEachFrame(EventHandler<FrameSlot> stage) {
        this(stage, sequence -> {});
    }

    /**
     * @param done told each sequence the stage has finished, also when it failed on it (the ring's first stage tells
     *     its {@link FrameMailbox}, so that the frame waiting there may go in)
     */
    HandOnEachFrame(EventHandler<FrameSlot> stage, LongConsumer done) {
        this.stage = stage;
        this.done = done;
    }

    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
        this.progress = sequenceCallback;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        try {
            stage.onEvent(slot, sequence, endOfBatch);
        } finally {
            done.accept(sequence);
        }
        progress.set(sequence);
    }

    @Override
    public void onStart() {
        stage.onStart();
    }

    @Override
    public void onShutdown() {
        stage.onShutdown();
    }
}
