package dev.segment.engine.stages;

import com.lmax.disruptor.EventHandler;

/**
 * The ring's first stage (inference or keyframes) as the ring runs it: once the stage has finished a frame, the frame
 * waiting in the {@link FrameMailbox} may go in.
 */
final class FirstStage implements EventHandler<FrameSlot> {
    private final EventHandler<FrameSlot> stage;
    private final FrameMailbox mailbox;

    FirstStage(EventHandler<FrameSlot> stage, FrameMailbox mailbox) {
        this.stage = stage;
        this.mailbox = mailbox;
    }

    @Override
    public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) throws Exception {
        try {
            stage.onEvent(slot, sequence, endOfBatch);
        } finally {
            mailbox.firstStageDone(sequence);
        }
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
